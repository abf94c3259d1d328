// SPDX-License-Identifier: GPL-2.0
/*
 * scheduler: the one program on sched_switch, doing the work of whichever scheduler features are on
 * (scheduler.h), and the wakeup programs of run-queue latency.
 *
 * Three features used to be three objects, each with its own sched_switch program: every context
 * switch paid three program dispatches, and CPU and cgroup accounting each kept their own per-CPU
 * "switched in at" state. Here one program runs, the features are bits of a global the daemon
 * writes while it runs (a switch flips without re-attaching), and the program is detached only when
 * every feature is off.
 *
 * - cpu_metrics (SCHEDULER_FEATURE_CPU): every context switch closes the interval that started at
 *   the CPU's previous switch: it is charged to busy or idle time depending on whether the task
 *   switched out was the idle task, and to that task's process. The process is charged on the task
 *   clock, not the wall-clock interval: what prev's se.sum_exec_runtime grew by since it was
 *   switched in. Under host contention (paravirt steal time) the interval is longer than what the
 *   task ran, and /proc/PID/stat, rusage and the kernel's cgroup cpu.stat count only the latter; the
 *   CPU's busy time keeps the interval, as /proc/stat does. Userspace adds the interval still open
 *   since the latest switch when it reads.
 * - cgroup_cpu (SCHEDULER_FEATURE_CGROUPS): nanoseconds on CPU per cgroup (v2). Each switch-in reads
 *   the cgroup of the task let in from next->cgroups->dfl_cgrp->kn->id (CO-RE, plain loads) into the
 *   same per-CPU state; its switch-out charges that cgroup the task clock it ran, as the kernel's own
 *   cpu.stat usage_usec does. The idle task is not charged.
 * - sched_latency (SCHEDULER_FEATURE_RUN_QUEUE): run-queue latency, the time a thread waits between
 *   becoming runnable and running, as libbpf-tools' runqlat measures it, in log2 histograms: one for
 *   the system, one per process. A thread becomes runnable when it is woken (sched_wakeup), created
 *   (sched_wakeup_new), or preempted while still runnable (sched_switch with prev_state ==
 *   TASK_RUNNING); it stops waiting when sched_switch switches it in.
 *
 * Why tp_btf: tracepoints are the kernel's stable ABI, kprobes and fentry are not available on the
 * kernels we target, and tp_btf (unlike tracepoint/) needs no tracefs, so a daemon holding only
 * CAP_BPF + CAP_PERFMON can attach it; BTF also lets us read task fields directly. sched_switch's
 * prev_state argument exists since Linux 5.18 (task storage for tracing programs since 5.11): on
 * older kernels the daemon loads on_sched_switch_accounting instead, which has no run-queue part,
 * and leaves the wakeup programs and the task storage out of the load.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "cgroup_cpu.h"
#include "log2_hist.h"
#include "map_add.h"
#include "process_maps.h"
#include "sched_latency.h"
#include "scheduler.h"

char LICENSE[] SEC("license") = "GPL";

#define TASK_RUNNING 0

/*
 * SCHEDULER_FEATURE_* bits of the features on, written by the daemon (the whole .bss value, which
 * holds only this) while the program runs. A global is a plain load for the program, no map lookup.
 */
volatile __u32 scheduler_features = 0;

CPU_ACCOUNTING_MAP;

/*
 * The fields on the way from a task to its cgroup v2 id. The ___cgroup suffix keeps these apart from
 * core_types.h's task_struct; libbpf drops it when it matches them against the kernel's BTF.
 */
struct kernfs_node___cgroup { __u64 id; } __attribute__((preserve_access_index));
struct cgroup___cgroup { struct kernfs_node___cgroup *kn; } __attribute__((preserve_access_index));
struct css_set___cgroup { struct cgroup___cgroup *dfl_cgrp; } __attribute__((preserve_access_index));
struct task_struct___cgroup { struct css_set___cgroup *cgroups; } __attribute__((preserve_access_index));

/* cgroup_cpu: tasks of one cgroup run on several CPUs at once, so its value is updated atomically. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CGROUP_CPU_MAX_CGROUPS);
	__type(key, __u64);   /* cgroup v2 id: the inode number of its directory in /sys/fs/cgroup */
	__type(value, __u64); /* nanoseconds on CPU since the object was loaded */
} cgroup_cpu_ns SEC(".maps");

/*
 * sched_latency: when each thread became runnable (bpf_ktime_get_ns()), 0 while it is not waiting:
 * task-local storage, which the kernel keeps with the task and frees when it exits, so marking and
 * ending a wait touch the task itself instead of a hash shared by every CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} runnable_since SEC(".maps");

/* bpf_ktime_get_ns() when userspace last switched run-queue latency on, the same in every CPU's
 * slot: a thread marked before it (the storage outlives a switch-off) holds a stale time, not a wait. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} attached_at_ns SEC(".maps");

/* Each CPU records the waits that end on it in its own histogram: no atomics needed. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct log2_hist);
} system_waits SEC(".maps");

/* Longest wait per CPU since userspace last zeroed it (once per collection). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} window_max_ns SEC(".maps");

/* Per process, a histogram of its waits, for the processes that waited longest: an LRU, so
 * processes that stopped waiting make room for new ones. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SCHED_LATENCY_MAX_PROCESSES);
	__type(key, __u32); /* tgid */
	__type(value, struct log2_hist);
} process_waits SEC(".maps");

/*
 * cpu_metrics and cgroup_cpu: closes the interval of the task switched out and opens next's, in the
 * one per-CPU state both read. The state is kept while either is on; the daemon zeroes it before
 * switching the first of them on, so a stale switch time never charges the period both were off.
 */
static __always_inline void account_switch(__u32 features, struct task_struct *prev, struct task_struct *next, __u64 now)
{
	__u32 zero = 0;
	struct cpu_switch_accounting *cpu = bpf_map_lookup_elem(&cpu_accounting, &zero);
	if (!cpu)
		return;

	__u64 last = cpu->last_switch_ns;
	if (last != 0 && now > last) {
		__u64 interval = now - last;
		if (prev->pid == 0) {
			if (features & SCHEDULER_FEATURE_CPU)
				cpu->idle_ns += interval;
		} else {
			__u32 start_pid = cpu->running_pid;
			if (features & SCHEDULER_FEATURE_CPU) {
				cpu->busy_ns += interval;
				__u64 ran = task_clock_ran(prev, start_pid, cpu->running_start_runtime_ns, interval);
				/* After process_lifecycle sent a dead process's totals, its last switch
				 * re-creates the entry with the exit's last microseconds: the daemon adds them
				 * to the exited process and deletes it. prev is the task the previous switch on
				 * this CPU let in, whose tgid is kept in the daemon's numbering: no second
				 * translation per switch in a container. */
				struct process_counters *process =
					ran == 0 ? NULL : process_entry(pid_namespace_level == 0 ? prev->tgid : cpu->running_tgid);
				if (process)
					__sync_fetch_and_add(&process->cpu_ns, ran);
			}
			if (features & SCHEDULER_FEATURE_CGROUPS) {
				/* Not `ran`: the exit program may have charged part of it to the exiting process. */
				__u64 cgroup_ran = task_clock_ran(prev, start_pid, cpu->running_cgroup_start_runtime_ns, interval);
				/* prev's cgroup as read at its switch-in, no helper call: a task moved while it
				 * ran is charged to the cgroup it started the slice in; 0 when the slice began
				 * before cgroup accounting was on, not charged. Not the thread seen switched in:
				 * ask the kernel. */
				__u64 cgroup = prev->pid == start_pid ? cpu->running_cgroup : bpf_get_current_cgroup_id();
				if (cgroup != 0 && cgroup_ran != 0 && !map_add_u64(&cgroup_cpu_ns, &cgroup, cgroup_ran))
					cpu->cgroup_dropped++;
			}
		}
	}
	cpu->last_switch_ns = now;
	__u64 next_runtime = next->se.sum_exec_runtime;
	cpu->running_start_runtime_ns = next_runtime;
	cpu->running_cgroup_start_runtime_ns = next_runtime;
	cpu->running_pid = next->pid;
	cpu->running_idle = next->pid == 0;
	cpu->running_tgid = next->pid == 0 ? 0 : daemon_tgid(next, next->tgid);
	/* next is a BTF pointer: plain loads down the chain, not a bpf_probe_read_kernel() per hop. */
	struct task_struct___cgroup *entering = (void *)next;
	cpu->running_cgroup = (features & SCHEDULER_FEATURE_CGROUPS) && next->pid != 0 ? entering->cgroups->dfl_cgrp->kn->id : 0;
}

static __always_inline void mark_runnable(struct task_struct *task, __u64 now)
{
	if (task->pid == 0) /* the idle task never waits */
		return;
	__u64 *since = bpf_task_storage_get(&runnable_since, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (since)
		*since = now;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(record_wakeup, struct task_struct *task)
{
	mark_runnable(task, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(record_wakeup_new, struct task_struct *task)
{
	mark_runnable(task, bpf_ktime_get_ns());
	return 0;
}

static __always_inline void record_process_wait(__u32 tgid, __u64 waited)
{
	if (tgid == 0) /* outside the daemon's pid namespace: in the system histogram only */
		return;
	struct process_counters *process = process_entry(tgid);
	if (process)
		__sync_fetch_and_add(&process->run_queue_wait_ns, waited);
	struct log2_hist *hist = bpf_map_lookup_elem(&process_waits, &tgid);
	if (!hist) {
		static const struct log2_hist empty = {};
		/* BPF_NOEXIST: another CPU may have created it meanwhile; then use theirs. */
		bpf_map_update_elem(&process_waits, &tgid, &empty, BPF_NOEXIST);
		hist = bpf_map_lookup_elem(&process_waits, &tgid);
		if (!hist)
			return;
	}
	log2_hist_record(hist, waited);
}

/* sched_latency: marks prev runnable if it was preempted, and ends next's wait. */
static __always_inline void record_run_queue(struct task_struct *prev, struct task_struct *next, unsigned int prev_state, __u64 now)
{
	if (prev_state == TASK_RUNNING)
		mark_runnable(prev, now);

	if (next->pid == 0)
		return;
	/* No F_CREATE: a thread never marked (running since before the switch-on) has nothing to end. */
	__u64 *since = bpf_task_storage_get(&runnable_since, next, 0, 0);
	if (!since || *since == 0)
		return;
	__u64 marked = *since;
	*since = 0;
	__u32 zero = 0;
	__u64 *attached = bpf_map_lookup_elem(&attached_at_ns, &zero);
	if (!attached || marked < *attached)
		return;
	__u64 waited = now > marked ? now - marked : 0;

	struct log2_hist *system = bpf_map_lookup_elem(&system_waits, &zero);
	if (system)
		log2_hist_record_local(system, waited);
	__u64 *max = bpf_map_lookup_elem(&window_max_ns, &zero);
	if (max && waited > *max)
		*max = waited;
	record_process_wait(daemon_tgid(next, next->tgid), waited);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_sched_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	/* Read once: the daemon may flip a bit while this runs, and each part then sees the same set. */
	__u32 features = scheduler_features;
	__u64 now = bpf_ktime_get_ns();
	if (features & (SCHEDULER_FEATURE_CPU | SCHEDULER_FEATURE_CGROUPS))
		account_switch(features, prev, next, now);
	if (features & SCHEDULER_FEATURE_RUN_QUEUE)
		record_run_queue(prev, next, prev_state, now);
	return 0;
}

/* Kernels before 5.18: sched_switch has no prev_state argument, which the verifier refuses to let
 * on_sched_switch read, so run-queue latency cannot run; CPU and cgroup accounting can. */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_sched_switch_accounting, _Bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 features = scheduler_features;
	if (features & (SCHEDULER_FEATURE_CPU | SCHEDULER_FEATURE_CGROUPS))
		account_switch(features, prev, next, bpf_ktime_get_ns());
	return 0;
}
