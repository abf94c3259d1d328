#ifndef SMOOTHTASK_ALLOCATOR_TUNING_H
#define SMOOTHTASK_ALLOCATOR_TUNING_H

#include <stddef.h>

/* glibc's arena count and mmap threshold are set by a constructor in allocator_tuning.c, before
 * main and so before any thread exists. */

/* glibc's malloc_trim(0): returns the free pages of every arena to the kernel. Returns 1 when some
 * memory was released, 0 otherwise (and where it is missing). */
int smoothtask_trim(void);

/* Bytes malloc holds free in all arenas (mallinfo2's fordblks): what a trim could give back at most.
 * 0 where it is missing. */
size_t smoothtask_free_heap_bytes(void);

/* Unmaps the resident pages of the executable's own code (its PT_LOAD segments that are executable,
 * never written: no text relocations), so that only the code run from now on comes back, page by page
 * from the page cache, on first use. Returns the bytes advised, or -1 if madvise failed. */
long smoothtask_release_code_pages(void);

#endif
