/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structs SmoothTask's BPF programs keep in their maps, from the very headers the programs are
 * compiled with (bpf/), so Swift reads map values through the C layout instead of hand-written
 * mirrors. The host compiler lays them out for Swift; the BPF compiler for the kernel. Both use
 * only fixed-width __u32/__u64 fields and char arrays, and StructLayoutTests compares every field's
 * offset here with the BTF of the compiled objects.
 */
#ifndef SMOOTHTASK_C_BPF_TYPES_H
#define SMOOTHTASK_C_BPF_TYPES_H

#include <stddef.h>
#include <linux/types.h>

#include "../../../bpf/log2_hist.h"
#include "../../../bpf/cpu_metrics.h"
#include "../../../bpf/syscalls.h"
#include "../../../bpf/memory_events.h"
#include "../../../bpf/sched_latency.h"
#include "../../../bpf/disk_metrics.h"
#include "../../../bpf/network_metrics.h"
#include "../../../bpf/process_table.h"
#include "../../../bpf/process_lifecycle.h"
#include "../../../bpf/cgroup_cpu.h"
#include "../../../bpf/scheduler.h"

/* One field of a shared struct as the host compiler lays it out, for the layout test. */
struct smoothtask_field_layout {
	const char *type_name;  /* e.g. "cpu_switch_accounting" */
	const char *field_name; /* e.g. "busy_ns" */
	size_t offset;          /* offsetof(type, field) in bytes */
	size_t size;            /* sizeof(field) in bytes */
	size_t type_size;       /* sizeof(type) in bytes */
};

/* Every field of every struct a map holds that Swift reads, in declaration order (a function:
 * Swift imports no C array of unknown size). */
const struct smoothtask_field_layout *smoothtask_field_layouts_pointer(void);
/* How many entries smoothtask_field_layouts_pointer() has. */
extern const size_t smoothtask_field_layout_count;

#endif
