/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps shared across objects: the process table, one entry per live process with every
 * per-process counter (process_table.h), and cpu_metrics' per-CPU accounting.
 *
 * Each metric object adds to its fields of a process's entry, and process_lifecycle.bpf.c's one exit
 * program reads the entry when the process exits (its final totals go to userspace in one ring
 * buffer record) and deletes it: one lookup and one delete per exit, one map for the daemon to read
 * per collection. BPF programs can only reach maps of their own object, so every object that uses
 * one of these declares it with the macros below, and the daemon loads process_lifecycle first and
 * hands its maps to the other objects before they load (bpf_map__reuse_fd): one map each, whichever
 * object names it. One definition per map, here, keeps the declarations identical: the table is
 * defined for every object that includes this header, cpu_accounting by the macro for the two
 * objects that use it.
 */
#ifndef SMOOTHTASK_PROCESS_MAPS_H
#define SMOOTHTASK_PROCESS_MAPS_H

#include <bpf/bpf_helpers.h>
#include "cpu_metrics.h"
#include "process_table.h"
#include "pid_namespace.h"

/* cpu_metrics: one CPU's busy/idle accounting; the exit program charges the running slice. */
#define CPU_ACCOUNTING_MAP                                   \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);     \
		__uint(max_entries, 1);                      \
		__type(key, __u32);                          \
		__type(value, struct cpu_switch_accounting); \
	} cpu_accounting SEC(".maps")

/* The process table: every object that includes this header uses it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PROCESS_TABLE_MAX_PROCESSES);
	__type(key, __u32); /* tgid in the daemon's pid namespace (pid_namespace.h) */
	__type(value, struct process_counters);
} process_table SEC(".maps");

/* Per CPU: entries the table could not make (it was full). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} process_table_full SEC(".maps");

/*
 * The entry of `tgid` (a daemon_tgid()), created if missing (BPF_NOEXIST: if another CPU created it
 * meanwhile, theirs is used); NULL, and counted, when the table is full. NULL for 0: a process
 * outside the daemon's pid namespace (or the idle task) has no row the daemon could show.
 */
static __always_inline struct process_counters *process_entry(__u32 tgid)
{
	if (tgid == 0)
		return NULL;
	struct process_counters *entry = bpf_map_lookup_elem(&process_table, &tgid);
	if (entry)
		return entry;
	static const struct process_counters zero = {};
	bpf_map_update_elem(&process_table, &tgid, &zero, BPF_NOEXIST);
	entry = bpf_map_lookup_elem(&process_table, &tgid);
	if (!entry) {
		__u32 slot = 0;
		__u64 *full = bpf_map_lookup_elem(&process_table_full, &slot);
		if (full)
			(*full)++;
	}
	return entry;
}

#endif
