// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls: counts every syscall entered, per CPU, per syscall number and per process (tgid), and
 * every failed syscall per (number, errno).
 *
 * Why raw_tp/sys_enter and raw_tp/sys_exit: the raw_syscalls tracepoints are a stable kernel ABI
 * that fire for every syscall; kprobes and fentry are not available on the kernels we target.
 * raw_tp was the cheapest variant measured here (~66 ns per syscall vs ~70 ns for tp_btf and
 * ~114 ns for tracepoint/), and like tp_btf it needs no tracefs, so a daemon holding only CAP_BPF +
 * CAP_PERFMON can attach it. process_lifecycle's exit program sends a process's final counts to
 * userspace and deletes its entry (process_maps.h).
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "syscalls.h"
#include "process_maps.h"

char LICENSE[] SEC("license") = "GPL";

/* .rodata knob, written after open and before load; 0 counts every process. The verifier removes
 * the filter entirely when it is 0. */
const volatile __u32 filter_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syscall_totals);
} syscall_totals SEC(".maps");

/* Per-CPU so the hot path needs no atomics; userspace sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYSCALLS_MAX_ID);
	__type(key, __u32);   /* syscall number */
	__type(value, __u64); /* syscalls entered */
} syscall_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALLS_MAX_FAILURE_KINDS);
	__type(key, struct syscall_failure_key);
	__type(value, __u64); /* failures */
} syscall_failures SEC(".maps");

/* The syscall number as the architecture's entry code saved it. The ___smoothtask suffix keeps
 * the name apart from bpf_tracing.h's; CO-RE matches it to the kernel's struct pt_regs. */
#if defined(__TARGET_ARCH_x86)
struct pt_regs___smoothtask { unsigned long orig_ax; } __attribute__((preserve_access_index));
#define SYSCALL_NUMBER(regs) BPF_CORE_READ((struct pt_regs___smoothtask *)(regs), orig_ax)
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs___smoothtask { int syscallno; } __attribute__((preserve_access_index));
#define SYSCALL_NUMBER(regs) BPF_CORE_READ((struct pt_regs___smoothtask *)(regs), syscallno)
#else
#error "syscalls.bpf.c reads the syscall number of x86_64 and arm64 only"
#endif

/* Adds 1 to key's counter, creating it; returns nonzero if the map was full. */
static int count_in(void *map, const void *key)
{
	__u64 *count = bpf_map_lookup_elem(map, key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	__u64 one = 1;
	/* BPF_NOEXIST: if another CPU created the entry meanwhile, add to theirs instead of overwriting. */
	long error = bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
	if (error == 0)
		return 0;
	count = bpf_map_lookup_elem(map, key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	return 1;
}

static struct syscall_totals *cpu_totals(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&syscall_totals, &zero);
}

/* raw_tp context: the tracepoint's arguments as u64s, here (struct pt_regs *regs, long id). */
SEC("raw_tp/sys_enter")
int count_syscall(__u64 *ctx)
{
	__u32 tgid = current_daemon_tgid();
	if (filter_tgid != 0 && tgid != filter_tgid)
		return 0;

	struct syscall_totals *totals = cpu_totals();
	if (!totals)
		return 0;
	totals->count++;

	__u32 id = (__u32)ctx[1];
	__u64 *by_id = id < SYSCALLS_MAX_ID ? bpf_map_lookup_elem(&syscall_counts, &id) : 0;
	if (by_id)
		(*by_id)++;
	else
		totals->beyond_table++;

	struct process_counters *process = process_entry(tgid);
	if (process)
		__sync_fetch_and_add(&process->syscalls, 1);
	return 0;
}

/* (struct pt_regs *regs, long ret): only errors (-4095...-1, the kernel's MAX_ERRNO) are counted. */
SEC("raw_tp/sys_exit")
int count_failure(__u64 *ctx)
{
	long ret = (long)ctx[1];
	if (ret >= 0 || ret < -4095)
		return 0;
	__u32 tgid = current_daemon_tgid();
	if (filter_tgid != 0 && tgid != filter_tgid)
		return 0;

	struct syscall_totals *totals = cpu_totals();
	if (!totals)
		return 0;
	totals->failures++;
	struct syscall_failure_key key = {
		.id = (__u32)SYSCALL_NUMBER((void *)ctx[0]),
		.error = (__u32)-ret,
	};
	if (count_in(&syscall_failures, &key))
		totals->failure_map_full++;
	/* Entered after attach means sys_enter created the entry; a syscall entered before attach is
	 * not counted as a call either, so its failure is not charged to the process. */
	struct process_counters *process = bpf_map_lookup_elem(&process_table, &tgid);
	if (process)
		__sync_fetch_and_add(&process->failed_syscalls, 1);
	return 0;
}
