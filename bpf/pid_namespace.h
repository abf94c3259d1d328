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
 *
 * Cost in a container (kernel 6.18, bpf_stats run_time_ns, a daemon in the initial namespace and
 * one in its own counting the same events): +28 ns per syscall of a process in the namespace and
 * -19 ns for one outside it (no table entry to update); +140 ns per context switch in cpu_metrics,
 * whose `next` is cache-cold; sched_latency's switch is 400-500 ns cheaper (no histogram for
 * processes outside).
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

/*
 * The number of `pid` in the daemon's namespace, 0 if the namespace at the daemon's level is not
 * the daemon's (a sibling container's). The caller checked pid->level >= pid_namespace_level:
 * numbers[] holds level + 1 entries. Read with bpf_probe_read_kernel(), not a plain load: kernels
 * before 6.5 declare numbers[1], which the verifier would not let a BTF pointer index past.
 */
static __always_inline __u32 daemon_number(struct pid___pidns *pid)
{
	struct upid___pidns number = {};
	if (bpf_core_read(&number, sizeof(number), &pid->numbers[pid_namespace_level]) != 0)
		return 0;
	if (BPF_CORE_READ(number.ns, ns.inum) != pid_namespace_inode)
		return 0;
	return number.nr;
}

/*
 * The process id (tgid) of `task` in the daemon's pid namespace, 0 if the task is outside it.
 * `task` must be a BTF pointer (a tp_btf argument, or a field read from one): its fields up to the
 * pid are plain loads, cheaper than bpf_probe_read_kernel() on sched_switch's path. `tgid` is the
 * kernel's task->tgid, which the caller usually has at hand for free: the answer in the initial
 * namespace.
 */
static __always_inline __u32 daemon_tgid(void *task, __u32 tgid)
{
	if (pid_namespace_level == 0)
		return tgid;
	/* The process's id is its group leader's pid. */
	struct pid___pidns *pid = ((struct task_struct___pidns *)task)->group_leader->thread_pid;
	if (!pid || pid->level < pid_namespace_level)
		return 0;
	return daemon_number(pid);
}

/* daemon_tgid() of the task running this program, for any program type. bpf_get_current_task_btf()
 * (5.11) gives a BTF pointer, read with plain loads; before it, bpf_get_current_task()'s fields
 * are read with bpf_probe_read_kernel() (the check is resolved at load, CO-RE). */
static __always_inline __u32 current_daemon_tgid(void)
{
	if (pid_namespace_level == 0)
		return bpf_get_current_pid_tgid() >> 32;
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf))
		return daemon_tgid(bpf_get_current_task_btf(), 0);
	struct task_struct___pidns *task = (void *)bpf_get_current_task();
	struct pid___pidns *pid = BPF_CORE_READ(task, group_leader, thread_pid);
	if (!pid || BPF_CORE_READ(pid, level) < pid_namespace_level)
		return 0;
	return daemon_number(pid);
}

#endif
