/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps of syscalls.bpf.c, read by SmoothTaskCollectors, which imports these structs through
 * Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the compiled object's BTF.
 */
#ifndef SMOOTHTASK_SYSCALLS_H
#define SMOOTHTASK_SYSCALLS_H

/*
 * Syscall numbers counted one by one: x86_64 and arm64 both stay below 512 today (x86_64's highest
 * is ~470). Larger numbers (x32's, with bit 30 set, or future ones) still count in the totals and
 * in syscalls_beyond_table. 1024 x 8 B x CPUs is 16 KiB per CPU.
 */
#define SYSCALLS_MAX_ID 1024

/*
 * Distinct (syscall, errno) pairs that fail: in practice a few hundred (most syscalls fail with
 * one to three errnos); 4096 x (8 B key + 8 B value + ~50 B overhead) is about 260 KiB.
 */
#define SYSCALLS_MAX_FAILURE_KINDS 4096

/* One CPU's counts since the object was loaded, while the programs were attached. */
struct syscall_totals {
	__u64 count;                /* syscalls that returned (counted on sys_exit) */
	__u64 failures;             /* syscalls that returned -1...-4095 (an errno) */
	__u64 beyond_table;         /* syscalls whose number is >= SYSCALLS_MAX_ID (not counted by id) */
	__u64 process_map_full;     /* unused since the process table counts its own (kept for the layout) */
	__u64 failure_map_full;     /* syscall_failures inserts refused: the map was full */
};

/* Key of syscall_failures. */
struct syscall_failure_key {
	__u32 id;    /* syscall number */
	__u32 error; /* errno, positive */
};

#endif
