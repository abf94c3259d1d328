#define _GNU_SOURCE
#include "allocator_tuning.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>

/* Buffers at least this large are mmapped and returned when freed. By default glibc raises its mmap
 * threshold each time a large block is freed, after which 1 MiB request frames come from the heap
 * and their pages are kept after a burst of large frames. */
#define SMOOTHTASK_MMAP_THRESHOLD_BYTES (128 << 10)
/* malloc arenas at most, instead of eight per core: each thread that touches malloc would otherwise
 * keep its own heap (the daemon's RSS went from 29 to 47 MiB depending on which threads got one). */
#define SMOOTHTASK_ARENA_MAX 2

/* Before main, so before any thread exists: set later, threads started meanwhile (the concurrency
 * pool, NIO's) already had arenas of their own. */
__attribute__((constructor)) static void smoothtask_allocator_defaults(void)
{
	mallopt(M_MMAP_THRESHOLD, SMOOTHTASK_MMAP_THRESHOLD_BYTES);
	mallopt(M_ARENA_MAX, SMOOTHTASK_ARENA_MAX);
}

int smoothtask_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
int smoothtask_set_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
int smoothtask_trim(void) { return malloc_trim(0); }
size_t smoothtask_free_heap_bytes(void) { return mallinfo2().fordblks; }
#else
int smoothtask_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
int smoothtask_set_arena_max(int arenas) { (void)arenas; return 0; }
int smoothtask_trim(void) { return 0; }
size_t smoothtask_free_heap_bytes(void) { return 0; }
#endif

/* The anonymous (written, copied-on-write) bytes smaps reports for the mapping starting at `start`;
 * -1 when it is not found. */
static long anonymous_bytes(unsigned long start)
{
	FILE *smaps = fopen("/proc/self/smaps", "re");
	if (!smaps)
		return -1;
	char line[4096];
	int inside = 0;
	long anonymous = -1;
	while (fgets(line, sizeof line, smaps)) {
		unsigned long from, to;
		if (sscanf(line, "%lx-%lx ", &from, &to) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			if (inside)
				break;
			inside = from == start;
			continue;
		}
		long kilobytes;
		if (inside && sscanf(line, "Anonymous: %ld kB", &kilobytes) == 1) {
			anonymous = kilobytes * 1024;
			break;
		}
	}
	fclose(smaps);
	return anonymous;
}

long smoothtask_release_executable_pages(void)
{
	char executable[4096];
	ssize_t length = readlink("/proc/self/exe", executable, sizeof executable - 1);
	if (length <= 0)
		return -1;
	executable[length] = '\0';
	FILE *maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return -1;
	/* Collected first: madvise while reading maps could change what is read. */
	struct range { unsigned long from, to; } found[16];
	int count = 0;
	char line[4096 + 128];
	while (fgets(line, sizeof line, maps) && count < 16) {
		unsigned long from, to;
		char permissions[5];
		int path_offset = 0;
		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &from, &to, permissions, &path_offset) < 3 || path_offset == 0)
			continue;
		char *path = line + path_offset;
		path[strcspn(path, "\n")] = '\0';
		if (strcmp(permissions, "r-xp") == 0 && strcmp(path, executable) == 0)
			found[count++] = (struct range){from, to};
	}
	fclose(maps);
	long released = 0;
	for (int i = 0; i < count; i++) {
		/* A written page (text relocations) would be lost: such a mapping is left alone. */
		if (anonymous_bytes(found[i].from) != 0)
			continue;
		if (madvise((void *)found[i].from, found[i].to - found[i].from, MADV_DONTNEED) == 0)
			released += (long)(found[i].to - found[i].from);
	}
	return released;
}
