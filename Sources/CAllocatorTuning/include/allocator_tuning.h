#ifndef SMOOTHTASK_ALLOCATOR_TUNING_H
#define SMOOTHTASK_ALLOCATOR_TUNING_H

#include <stddef.h>

/* glibc's mallopt(), which Swift's Glibc module does not export. Returns 0 where it is missing. */
int smoothtask_set_mmap_threshold(int bytes);
int smoothtask_set_arena_max(int arenas);

/* glibc's malloc_trim(0): returns the free pages of every arena to the kernel. Returns 1 when some
 * memory was released, 0 otherwise (and where it is missing). */
int smoothtask_trim(void);

/* Bytes malloc holds free in all arenas (mallinfo2's fordblks): what a trim could give back at most.
 * 0 where it is missing. */
size_t smoothtask_free_heap_bytes(void);

/* Drops this process's mapping of the resident pages of its own executable's read-only, executable
 * segments (madvise MADV_DONTNEED): clean file pages the start-up touched once (relocation tables,
 * argument parsing, program loading). They stay in the page cache and fault back in when run again.
 * Only mappings of /proc/self/exe with permissions r-xp and no anonymous (written) page are
 * dropped. Returns the bytes of mappings dropped, or -1 when /proc/self/maps cannot be read. */
long smoothtask_release_executable_pages(void);

#endif
