/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types SmoothTask's programs touch, instead of a generated vmlinux.h.
 *
 * preserve_access_index makes clang record every field access as a CO-RE relocation, so libbpf
 * rewrites the offsets against the running kernel's BTF at load time: only the names and types of
 * the fields used here must match the kernel, not their position or the rest of the struct.
 */
#ifndef SMOOTHTASK_CORE_TYPES_H
#define SMOOTHTASK_CORE_TYPES_H

#include <linux/types.h>
#include <linux/bpf.h> /* uapi: map types and flags */

/* The scheduler's per-task accounting. */
struct sched_entity {
	/* Nanoseconds the task ran, on the task clock (rq_clock_task): steal time (paravirt) and, with
	 * IRQ_TIME_ACCOUNTING, interrupt time are left out, as in /proc/PID/stat. The scheduler brings
	 * prev's up to date (update_curr) before sched_switch fires. */
	__u64 sum_exec_runtime;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;  /* thread id; 0 for each CPU's idle task */
	int tgid; /* process id */
	struct sched_entity se;
} __attribute__((preserve_access_index));

/*
 * What `prev` ran on its task clock since it was switched in (se.sum_exec_runtime then: `start`, of
 * thread `start_pid`), for the programs that charge a switch-out: at most `interval`, the wall-clock
 * time since that switch-in, which it cannot exceed. When prev is not the thread seen switched in
 * (rare, but then `start` is another thread's and the difference meaningless), the interval.
 */
static __always_inline __u64 task_clock_ran(struct task_struct *prev, __u32 start_pid, __u64 start, __u64 interval)
{
	if (prev->pid != start_pid)
		return interval;
	__u64 runtime = prev->se.sum_exec_runtime;
	__u64 ran = runtime > start ? runtime - start : 0;
	return ran < interval ? ran : interval;
}

#endif
