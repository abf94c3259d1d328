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

#endif
