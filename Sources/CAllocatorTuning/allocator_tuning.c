#define _GNU_SOURCE
#include "allocator_tuning.h"
/* Defines __GLIBC__ on glibc; stddef.h (all the header includes) does not, and without this the test
 * below was false on glibc too: every function was the stub and the constructor never ran (arenas
 * uncapped, nothing ever trimmed; 60 MiB anonymous stayed after a 1,000-connection burst). */
#include <features.h>

#include <link.h>
#include <stdint.h>
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

int smoothtask_trim(void) { return malloc_trim(0); }
size_t smoothtask_free_heap_bytes(void) { return mallinfo2().fordblks; }
#else
int smoothtask_trim(void) { return 0; }
size_t smoothtask_free_heap_bytes(void) { return 0; }
#endif

/* The kernel maps a file's pages 64 KiB around each page a fault asks for (fault-around), so code run
 * once at start-up (loading the BPF programs, opening the history) or in a burst of clients keeps
 * whole runs of the text resident after it. Dropping them costs one minor fault per page the daemon
 * runs next; the file stays in the page cache. Only the main program (the first object
 * dl_iterate_phdr reports) and only executable segments: a read-only segment may hold RELRO pages
 * the loader wrote, which are anonymous copies that MADV_DONTNEED would discard. */
static int smoothtask_release_executable_segments(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	long *advised = data;
	long page = sysconf(_SC_PAGESIZE);
	for (int index = 0; index < info->dlpi_phnum; index++) {
		const ElfW(Phdr) *header = &info->dlpi_phdr[index];
		if (header->p_type != PT_LOAD || !(header->p_flags & PF_X) || (header->p_flags & PF_W))
			continue;
		uintptr_t start = (info->dlpi_addr + header->p_vaddr + page - 1) & ~(uintptr_t)(page - 1);
		uintptr_t end = (info->dlpi_addr + header->p_vaddr + header->p_memsz) & ~(uintptr_t)(page - 1);
		if (end <= start)
			continue;
		if (madvise((void *)start, end - start, MADV_DONTNEED) != 0) {
			*advised = -1;
			return 1;
		}
		*advised += (long)(end - start);
	}
	return 1; /* the main program comes first: stop there */
}

long smoothtask_release_code_pages(void)
{
	long advised = 0;
	dl_iterate_phdr(smoothtask_release_executable_segments, &advised);
	return advised;
}
