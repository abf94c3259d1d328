/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types SmoothTask's programs touch, instead of a generated vmlinux.h.
 *
 * preserve_access_index makes clang record every field access as a CO-RE relocation, so libbpf
 * rewrites the offsets against the running kernel's BTF at load time: only the names and types of
 * the fields used here must match the kernel, not their position or the rest of the struct.
 */
#ifndef SMOOTHTASK_CORE_TYPES_H
#define SMOOTHTASK_CORE_TYPES_H

#include <linux/types.h>
#include <linux/bpf.h> /* uapi: map types and flags */

struct task_struct {
	int pid;  /* thread id; 0 for each CPU's idle task */
	int tgid; /* process id */
} __attribute__((preserve_access_index));

#endif
