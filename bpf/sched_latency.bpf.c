// SPDX-License-Identifier: GPL-2.0
/*
 * sched_latency: run-queue latency, the time a thread waits between becoming runnable and running,
 * as libbpf-tools' runqlat measures it, in log2 histograms: one for the system, one per process.
 *
 * A thread becomes runnable when it is woken (sched_wakeup), created (sched_wakeup_new), or
 * preempted while still runnable (sched_switch with prev_state == TASK_RUNNING). It stops waiting
 * when sched_switch switches it in.
 *
 * Why tp_btf: tracepoints are the kernel's stable ABI, kprobes and fentry are not available on the
 * kernels we target, and tp_btf needs no tracefs (CAP_BPF + CAP_PERFMON suffice). sched_switch's
 * prev_state argument exists since Linux 5.18 (task storage for tracing programs since 5.11);
 * SchedLatencyProgram refuses older kernels.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "log2_hist.h"
#include "sched_latency.h"
#include "process_maps.h"

char LICENSE[] SEC("license") = "GPL";

#define TASK_RUNNING 0

/*
 * When each thread became runnable (bpf_ktime_get_ns()), 0 while it is not waiting: task-local
 * storage, which the kernel keeps with the task and frees when it exits, so marking and ending a
 * wait touch the task itself instead of a hash shared by every CPU (an update, a lookup and a
 * delete per wait, the bulk of this program's cost when it kept a hash keyed by thread id).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} runnable_since SEC(".maps");

/* bpf_ktime_get_ns() when userspace last attached the programs, the same in every CPU's slot: a
 * thread marked before it (the storage outlives a detach) holds a stale time, not a wait. */
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

SEC("tp_btf/sched_switch")
int BPF_PROG(record_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 now = bpf_ktime_get_ns();
	if (prev_state == TASK_RUNNING)
		mark_runnable(prev, now);

	if (next->pid == 0)
		return 0;
	/* No F_CREATE: a thread never marked (running since before the attach) has nothing to end. */
	__u64 *since = bpf_task_storage_get(&runnable_since, next, 0, 0);
	if (!since || *since == 0)
		return 0;
	__u64 marked = *since;
	*since = 0;
	__u32 zero = 0;
	__u64 *attached = bpf_map_lookup_elem(&attached_at_ns, &zero);
	if (!attached || marked < *attached)
		return 0;
	__u64 waited = now > marked ? now - marked : 0;

	struct log2_hist *system = bpf_map_lookup_elem(&system_waits, &zero);
	if (system)
		log2_hist_record_local(system, waited);
	__u64 *max = bpf_map_lookup_elem(&window_max_ns, &zero);
	if (max && waited > *max)
		*max = waited;
	record_process_wait(daemon_tgid(next, next->tgid), waited);
	return 0;
}
