// SPDX-License-Identifier: GPL-2.0
/*
 * syscall_rate_probe: counts syscalls as they return, and nothing else, for the overhead budget.
 *
 * While the budget has shed the syscalls object, no kernel counter says how many syscalls the
 * machine makes, so the daemon cannot tell when bringing it back would fit. It attaches this program
 * for a few milliseconds now and then (OverheadGovernor.probeMilliseconds) and reads the rate. It is
 * the cheapest program a raw_tp can run (one per-CPU increment, bench/floor.bpf.c's body) and it
 * writes no per-process map, so a probe never shows up in the syscalls figures when they come back.
 *
 * On sys_exit, the syscalls object's hook: the rate it reads is the rate at which that object's
 * program would run, which is what the budget multiplies by its per-run cost (sys_enter would
 * differ by the exit_group calls, which never return, and the children's returns from fork).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64); /* syscalls that returned while attached */
} probed_syscalls SEC(".maps");

SEC("raw_tp/sys_exit")
int probe_syscall(void *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&probed_syscalls, &zero);
	if (count)
		(*count)++;
	return 0;
}
