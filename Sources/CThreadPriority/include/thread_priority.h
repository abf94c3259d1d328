#ifndef SMOOTHTASK_THREAD_PRIORITY_H
#define SMOOTHTASK_THREAD_PRIORITY_H

/* Nothing to call: the target defines setpriority(2) for smoothtaskd (see thread_priority.c), which
   libdispatch's worker threads use. Linked into the daemon by being its dependency. */

#endif
