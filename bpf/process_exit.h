/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When a process (thread group) is gone, for the programs that keep per-tgid entries and delete
 * them on tp_btf/sched_process_exit, which fires once per exiting thread.
 */
#ifndef SMOOTHTASK_PROCESS_EXIT_H
#define SMOOTHTASK_PROCESS_EXIT_H

#include <bpf/bpf_core_read.h>

/* Flavors (the ___ suffix) of the kernel's types: CO-RE matches them to struct task_struct and
 * struct signal_struct by name, without clashing with core_types.h's task_struct. */
struct signal_struct___exit {
	struct { int counter; } live; /* atomic_t: threads of the group not yet exiting */
} __attribute__((preserve_access_index));

struct task_struct___exit {
	struct signal_struct___exit *signal;
} __attribute__((preserve_access_index));

/*
 * do_exit() decrements signal->live before the sched_process_exit tracepoint fires, so 0 means the
 * last thread of the process is exiting. (6.16+ also pass a group_dead argument; reading live
 * works on every kernel with BTF.) `task` must be a BTF pointer (tp_btf's argument): plain loads,
 * no bpf_probe_read_kernel() call per field.
 */
static __always_inline int process_group_is_dead(void *task)
{
	return ((struct task_struct___exit *)task)->signal->live.counter == 0;
}

#endif
