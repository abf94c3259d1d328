/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process ids as the daemon sees them. In a container with its own pid namespace, the kernel's
 * task->tgid is the host's pid: a row keyed by it names a process that does not exist in the
 * daemon's /proc (shown as exited, user unknown) or, worse, another process. Every object that
 * keys or reports processes (process_maps.h includes this header) numbers them in the daemon's pid
 * namespace instead, the pid its /proc and its clients use; processes outside that namespace get 0,
 * which the programs count in their system-wide figures only (process_entry() keeps no entry for 0).
 *
 * How: a pid has one number per namespace level from the initial namespace (level 0) down to the
 * one the task lives in (struct pid's numbers[]), so the daemon's number for a task is
 * numbers[daemon's level] when that entry's namespace is the daemon's. That works for any task,
 * current or not (sched_switch's prev and next, a parent), and for tasks in namespaces nested below
 * the daemon's, which bpf_get_ns_current_pid_tgid() (current task only, its own namespace only)
 * cannot do. Both knobs are .rodata, written by the daemon (ProgramLoader) before load: at level 0,
 * the initial namespace where the kernel's tgid already is the daemon's pid, the verifier drops the
 * translation and every program runs exactly as without it.
 */
#ifndef SMOOTHTASK_PID_NAMESPACE_H
#define SMOOTHTASK_PID_NAMESPACE_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* Level of the daemon's pid namespace (0: the initial one, no translation). */
const volatile __u32 pid_namespace_level = 0;
/* Its inode number (stat of /proc/self/ns/pid), to tell it from sibling namespaces at that level. */
const volatile __u32 pid_namespace_inode = 0;

/* Flavors (the ___pidns suffix) of the kernel's types: CO-RE matches them by name without
 * clashing with core_types.h's task_struct. numbers[] is a flexible array in the kernel. */
struct ns_common___pidns { unsigned int inum; } __attribute__((preserve_access_index));
struct pid_namespace___pidns { struct ns_common___pidns ns; } __attribute__((preserve_access_index));
struct upid___pidns {
	int nr;
	struct pid_namespace___pidns *ns;
} __attribute__((preserve_access_index));
struct pid___pidns {
	unsigned int level;
	struct upid___pidns numbers[1];
} __attribute__((preserve_access_index));
struct task_struct___pidns {
	struct pid___pidns *thread_pid;
	struct task_struct___pidns *group_leader;
} __attribute__((preserve_access_index));

/* The number of `pid` in the daemon's namespace, 0 if that namespace is not one of its own. */
static __always_inline __u32 pid_in_daemon_namespace(struct pid___pidns *pid)
{
	__u32 level = pid_namespace_level;
	/* numbers[] holds level + 1 entries: a pid of a shallower namespace is outside the daemon's. */
	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;
	struct upid___pidns number = {};
	if (bpf_core_read(&number, sizeof(number), &pid->numbers[level]) != 0)
		return 0;
	if (BPF_CORE_READ(number.ns, ns.inum) != pid_namespace_inode)
		return 0;
	return number.nr;
}

/*
 * The process id (tgid) of `task` in the daemon's pid namespace, 0 if the task is outside it.
 * `tgid` is the kernel's task->tgid, which the caller usually has at hand for free: it is the
 * answer in the initial namespace.
 */
static __always_inline __u32 daemon_tgid(void *task, __u32 tgid)
{
	if (pid_namespace_level == 0)
		return tgid;
	/* The process's id is its group leader's pid. */
	return pid_in_daemon_namespace(BPF_CORE_READ((struct task_struct___pidns *)task, group_leader, thread_pid));
}

/* daemon_tgid() of the task running this program. */
static __always_inline __u32 current_daemon_tgid(void)
{
	if (pid_namespace_level == 0)
		return bpf_get_current_pid_tgid() >> 32;
	return daemon_tgid((void *)bpf_get_current_task(), 0);
}

#endif
