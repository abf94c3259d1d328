// SPDX-License-Identifier: GPL-2.0
/*
 * memory_events: page faults and reclaim stalls per process, and OOM kills with their victim.
 *
 * Hooks (all tp_btf: stable tracepoints, no tracefs, works with CAP_BPF + CAP_PERFMON):
 * - exceptions/page_fault_user: every page fault taken while in user mode. It exists on x86 only
 *   and cannot tell minor from major (that is decided later, in handle_mm_fault, with no
 *   tracepoint); faults the kernel takes on user memory itself (copy_to_user in read()) are
 *   page_fault_kernel and not counted.
 * - vmscan/mm_vmscan_direct_reclaim_{begin,end}: an allocation stalled in global direct reclaim;
 *   vmscan/mm_vmscan_memcg_reclaim_{begin,end}: the same stall caused by a cgroup's memory limit.
 *   Both are time a task waited for memory; begin and end are paired per thread.
 * - oom/mark_victim: the OOM killer chose a victim (global or cgroup OOM).
 * Exits: process_lifecycle's exit program sends a process's final counts and deletes its entry.
 * kmem/rss_stat is not used: it fires on every RSS counter change (as often as faults) and carries a
 * per-CPU counter that a BPF program cannot sum cheaply; RSS is read from /proc for shown rows.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "memory_events.h"
#include "process_maps.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct memory_event_totals);
} memory_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMORY_EVENTS_MAX_RECLAIMING_THREADS);
	__type(key, __u32);   /* thread id */
	__type(value, __u64); /* bpf_ktime_get_ns() at reclaim begin */
} reclaim_started SEC(".maps");

/* Slot 0 holds the count of OOM kills since load; its low bits pick the next victim slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} oom_kills SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MEMORY_EVENTS_OOM_SLOTS);
	__type(key, __u32);
	__type(value, struct oom_victim);
} oom_victims SEC(".maps");

struct task_struct___memory {
	int tgid;
	char comm[16];
} __attribute__((preserve_access_index));

static struct memory_event_totals *cpu_totals(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&memory_totals, &zero);
}

/* The calling process's entry in the process table, created if missing. */
static __always_inline struct process_counters *current_process(void)
{
	return process_entry(current_daemon_tgid());
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(count_user_fault, unsigned long address, void *regs, unsigned long error_code)
{
	struct memory_event_totals *totals = cpu_totals();
	if (!totals)
		return 0;
	totals->user_faults++;
	struct process_counters *process = current_process();
	if (process)
		__sync_fetch_and_add(&process->user_faults, 1);
	return 0;
}

static void reclaim_begin(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&reclaim_started, &tid, &now, BPF_ANY) != 0) {
		struct memory_event_totals *totals = cpu_totals();
		if (totals)
			totals->reclaim_untracked++;
	}
}

static void reclaim_end(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *started = bpf_map_lookup_elem(&reclaim_started, &tid);
	if (!started)
		return; /* began before attach, or its start was not tracked */
	__u64 now = bpf_ktime_get_ns();
	__u64 stalled = now > *started ? now - *started : 0;
	bpf_map_delete_elem(&reclaim_started, &tid);

	struct memory_event_totals *totals = cpu_totals();
	if (!totals)
		return;
	totals->reclaim_stalls++;
	totals->reclaim_ns += stalled;
	struct process_counters *process = current_process();
	if (process) {
		__sync_fetch_and_add(&process->reclaim_stalls, 1);
		__sync_fetch_and_add(&process->reclaim_ns, stalled);
	}
}

SEC("tp_btf/mm_vmscan_direct_reclaim_begin")
int BPF_PROG(direct_reclaim_begin) { reclaim_begin(); return 0; }

SEC("tp_btf/mm_vmscan_direct_reclaim_end")
int BPF_PROG(direct_reclaim_end) { reclaim_end(); return 0; }

SEC("tp_btf/mm_vmscan_memcg_reclaim_begin")
int BPF_PROG(memcg_reclaim_begin) { reclaim_begin(); return 0; }

SEC("tp_btf/mm_vmscan_memcg_reclaim_end")
int BPF_PROG(memcg_reclaim_end) { reclaim_end(); return 0; }

SEC("tp_btf/mark_victim")
int BPF_PROG(record_oom_victim, struct task_struct *task, unsigned int uid)
{
	__u32 zero = 0;
	__u64 *kills = bpf_map_lookup_elem(&oom_kills, &zero);
	if (!kills)
		return 0;
	__u32 slot = __sync_fetch_and_add(kills, 1) % MEMORY_EVENTS_OOM_SLOTS;
	struct oom_victim *victim = bpf_map_lookup_elem(&oom_victims, &slot);
	if (!victim)
		return 0;
	struct task_struct___memory *victim_task = (void *)task;
	victim->time_ns = bpf_ktime_get_ns();
	victim->pid = daemon_tgid(task, BPF_CORE_READ(victim_task, tgid));
	victim->uid = uid;
	BPF_CORE_READ_STR_INTO(&victim->comm, victim_task, comm);
	return 0;
}
