// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_cpu: nanoseconds on CPU per cgroup (v2), for per-unit attribution (cgroups.top).
 *
 * Each switch-in reads the cgroup of the task let in from next->cgroups->dfl_cgrp->kn->id (CO-RE,
 * plain loads) and keeps it per CPU: its switch-out charges that cgroup (bpf_get_current_cgroup_id(),
 * `current` still being prev at tp_btf/sched_switch, only when prev is not the thread seen switched
 * in), and a CPU-bound task that is never switched out is still charged when userspace reads the
 * open interval. The idle task (pid 0) is not charged.
 *
 * A switch-out charges what prev's se.sum_exec_runtime grew by since its switch-in (the task clock,
 * without paravirt steal time), as the kernel's own cpu.stat usage_usec and cpu_metrics' per-process
 * time do, not the wall-clock interval.
 *
 * A separate program from cpu_metrics so it can be switched off on its own
 * (enable_cgroup_metrics=false): it costs a second program run and a hash update per context
 * switch.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "cgroup_cpu.h"
#include "map_add.h"

/*
 * The fields on the way from a task to its cgroup v2 id. The ___cgroup suffix keeps these apart from
 * core_types.h's task_struct; libbpf drops it when it matches them against the kernel's BTF.
 */
struct kernfs_node___cgroup { __u64 id; } __attribute__((preserve_access_index));
struct cgroup___cgroup { struct kernfs_node___cgroup *kn; } __attribute__((preserve_access_index));
struct css_set___cgroup { struct cgroup___cgroup *dfl_cgrp; } __attribute__((preserve_access_index));
struct task_struct___cgroup { struct css_set___cgroup *cgroups; } __attribute__((preserve_access_index));

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgroup_switch_state);
} cgroup_switch SEC(".maps");

/* Tasks of one cgroup run on several CPUs at once, so its value is updated atomically. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CGROUP_CPU_MAX_CGROUPS);
	__type(key, __u64);   /* cgroup v2 id: the inode number of its directory in /sys/fs/cgroup */
	__type(value, __u64); /* nanoseconds on CPU since attach */
} cgroup_cpu_ns SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(account_cgroup_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u32 zero = 0;
	struct cgroup_switch_state *state = bpf_map_lookup_elem(&cgroup_switch, &zero);
	if (!state)
		return 0;

	__u64 now = bpf_ktime_get_ns();
	__u64 last = state->last_switch_ns;
	__u64 start_runtime = state->running_start_runtime_ns;
	__u32 start_pid = state->running_pid;
	__u64 start_cgroup = state->running_cgroup;
	state->last_switch_ns = now;
	state->running_start_runtime_ns = next->se.sum_exec_runtime;
	state->running_pid = next->pid;
	/* next is a BTF pointer: plain loads down the chain, not a bpf_probe_read_kernel() per hop. */
	struct task_struct___cgroup *entering = (void *)next;
	state->running_cgroup = next->pid == 0 ? 0 : entering->cgroups->dfl_cgrp->kn->id;
	if (last == 0 || now <= last || prev->pid == 0)
		return 0;
	__u64 delta = task_clock_ran(prev, start_pid, start_runtime, now - last);
	if (delta == 0)
		return 0;
	/* prev's cgroup as read at its switch-in, no helper call: a task moved while it ran is charged
	 * to the cgroup it started the slice in. Not the thread seen switched in: ask the kernel. */
	__u64 cgroup = prev->pid == start_pid && start_cgroup != 0 ? start_cgroup : bpf_get_current_cgroup_id();
	if (!map_add_u64(&cgroup_cpu_ns, &cgroup, delta))
		state->dropped++;
	return 0;
}
