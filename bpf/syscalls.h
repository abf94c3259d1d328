/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The map value of syscalls.bpf.c, read by SmoothTaskCollectors (mirrored there by SyscallTotals,
 * whose size a test compares with this struct's).
 */
#ifndef SMOOTHTASK_SYSCALLS_H
#define SMOOTHTASK_SYSCALLS_H

/* One CPU's count of syscalls entered since the object was loaded, while the program was attached. */
struct syscall_totals {
	__u64 count;
};

#endif
