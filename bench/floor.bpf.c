// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: the least a program can do on a hook and still count something. floor_loader attaches
 * one copy per tracepoint, so each copy's run statistics belong to one hook.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

SEC("raw_tp")
int count_event(void *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&events, &zero);
	if (count)
		(*count)++;
	return 0;
}
