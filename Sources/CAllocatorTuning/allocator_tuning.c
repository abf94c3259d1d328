#include "allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
int smoothtask_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
int smoothtask_set_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
#else
int smoothtask_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
int smoothtask_set_arena_max(int arenas) { (void)arenas; return 0; }
#endif
