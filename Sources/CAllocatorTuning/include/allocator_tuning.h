#ifndef SMOOTHTASK_ALLOCATOR_TUNING_H
#define SMOOTHTASK_ALLOCATOR_TUNING_H

/* glibc's mallopt(), which Swift's Glibc module does not export. Returns 0 where it is missing. */
int smoothtask_set_mmap_threshold(int bytes);
int smoothtask_set_arena_max(int arenas);

#endif
