#define _GNU_SOURCE
#include "allocator_tuning.h"
/* Defines __GLIBC__ on glibc; stddef.h (all the header includes) does not, and without this the test
 * below was false on glibc too: every function was the stub and the constructor never ran (arenas
 * uncapped, nothing ever trimmed; 60 MiB anonymous stayed after a 1,000-connection burst). */
#include <features.h>

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
