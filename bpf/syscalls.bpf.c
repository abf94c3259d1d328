// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls: counts every syscall as it returns, per CPU, per syscall number and per process (tgid),
 * and every failed syscall per (number, errno), in one program on sys_exit.
 *
 * Why one program on sys_exit: each program on a hook costs its dispatch, and the failure is only
 * known on the way out, so counting the call there too makes every syscall pay one dispatch instead
 * of two (getppid with every program attached: +77 ns with count_syscall on sys_enter and
 * count_failure on sys_exit, +51 ns with this one, against +36 ns for bench/floor.bpf.c's bare
 * counter; BENCHMARKS.md). What counting on the way out means (checked with bpftrace on 6.18):
 * - a syscall is counted when it returns, in the window it returns in: one blocked across windows
 *   (a read waiting for input) is counted once, when it completes;
 * - exit and exit_group never return and are not counted;
 * - execve is counted once, when it returns to the new program (same tgid); a failed one too;
 * - fork, vfork, clone and clone3 return twice, in the parent and in the child, and are counted in
 *   both: the child's first return is the first thing it does;
 * - rt_sigreturn returns into the interrupted code with that code's registers: the kernel has set
 *   the saved syscall number to -1 and the return value is the interrupted code's, not a result. It
 *   is counted under its own number (SYSCALL_RETURN_NUMBER_ERASED below) and never as a failure. A
 *   syscall a ptrace tracer cancelled (number set to -1) is counted the same way.
 *
 * Why tp_btf/sys_exit: the raw_syscalls tracepoints are a stable kernel ABI that fire for every
 * syscall; kprobes and fentry are not available on the kernels we target. sys_exit's arguments do
 * not carry the syscall number, only the saved registers: tp_btf types them, so the number is one
 * plain load, where raw_tp needs bpf_probe_read_kernel() (+8 ns per syscall here, 59 vs 51 ns
 * added to getppid). Like raw_tp it needs no tracefs, so a daemon holding only CAP_BPF +
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
	__type(value, __u64); /* syscalls that returned */
} syscall_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALLS_MAX_FAILURE_KINDS);
	__type(key, struct syscall_failure_key);
	__type(value, __u64); /* failures */
} syscall_failures SEC(".maps");

/* The syscall number as the architecture's entry code saved it, read from tp_btf's BTF pointer
 * to the registers with a plain load. The ___smoothtask suffix keeps the name apart from
 * bpf_tracing.h's; CO-RE matches it to the kernel's struct pt_regs. rt_sigreturn's number, which
 * the kernel erases (-1) while restoring the interrupted registers (restore_sigcontext on x86,
 * forget_syscall on arm64), from the architectures' unistd tables. */
#if defined(__TARGET_ARCH_x86)
struct pt_regs___smoothtask { unsigned long orig_ax; } __attribute__((preserve_access_index));
#define SYSCALL_NUMBER(regs) ((struct pt_regs___smoothtask *)(regs))->orig_ax
#define SYSCALL_RT_SIGRETURN 15
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs___smoothtask { int syscallno; } __attribute__((preserve_access_index));
#define SYSCALL_NUMBER(regs) ((struct pt_regs___smoothtask *)(regs))->syscallno
#define SYSCALL_RT_SIGRETURN 139
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

/* The saved number once the kernel erased it: rt_sigreturn, or a call a ptrace tracer cancelled. */
#define SYSCALL_RETURN_NUMBER_ERASED 0xffffffffu

/*
 * The whole syscall, on its way out: (struct pt_regs *regs, long ret), tp_btf typing both. Errors
 * are -4095...-1, the kernel's MAX_ERRNO.
 */
SEC("tp_btf/sys_exit")
int count_syscall(__u64 *ctx)
{
	__u32 tgid = current_daemon_tgid();
	if (filter_tgid != 0 && tgid != filter_tgid)
		return 0;

	struct syscall_totals *totals = cpu_totals();
	if (!totals)
		return 0;
	totals->count++;

	__u32 id = (__u32)SYSCALL_NUMBER((void *)ctx[0]);
	long ret = (long)ctx[1];
	if (id == SYSCALL_RETURN_NUMBER_ERASED) {
		id = SYSCALL_RT_SIGRETURN;
		ret = 0; /* the interrupted code's register, not a result */
	}
	__u64 *by_id = id < SYSCALLS_MAX_ID ? bpf_map_lookup_elem(&syscall_counts, &id) : 0;
	if (by_id)
		(*by_id)++;
	else
		totals->beyond_table++;

	struct process_counters *process = process_entry(tgid);
	if (ret >= 0 || ret < -4095) {
		if (process)
			__sync_fetch_and_add(&process->syscalls, 1);
		return 0;
	}
	totals->failures++;
	struct syscall_failure_key key = { .id = id, .error = (__u32)-ret };
	if (count_in(&syscall_failures, &key))
		totals->failure_map_full++;
	if (process) {
		__sync_fetch_and_add(&process->syscalls, 1);
		__sync_fetch_and_add(&process->failed_syscalls, 1);
	}
	return 0;
}
