/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-process (tgid) maps, shared across objects.
 *
 * Each metric object counts into its own per-process map, and process_lifecycle.bpf.c's one exit
 * program reads all of them when a process exits (its final totals go to userspace in one ring
 * buffer record) and deletes its entries. BPF programs can only reach maps of their own object, so
 * every object that uses one of these declares it with the macro below, and the daemon loads
 * process_lifecycle first and hands its maps to the other objects before they load
 * (bpf_map__reuse_fd): one map each, whichever object names it. One definition per map, here, keeps
 * the declarations identical.
 */
#ifndef SMOOTHTASK_PROCESS_MAPS_H
#define SMOOTHTASK_PROCESS_MAPS_H

#include <bpf/bpf_helpers.h>
#include "cpu_metrics.h"
#include "syscalls.h"
#include "memory_events.h"
#include "disk_metrics.h"
#include "network_metrics.h"
#include "sched_latency.h"

/* cpu_metrics: one CPU's busy/idle accounting; the exit program charges the running slice. */
#define CPU_ACCOUNTING_MAP                                   \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);     \
		__uint(max_entries, 1);                      \
		__type(key, __u32);                          \
		__type(value, struct cpu_switch_accounting); \
	} cpu_accounting SEC(".maps")

/* cpu_metrics: nanoseconds on CPU per tgid. An LRU never refuses an insert: it evicts the
 * longest-idle process, which only happens with more than CPU_METRICS_MAX_PROCESSES live ones. */
#define PROCESS_CPU_NS_MAP                                   \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);         \
		__uint(max_entries, CPU_METRICS_MAX_PROCESSES); \
		__type(key, __u32);                          \
		__type(value, __u64);                        \
	} process_cpu_ns SEC(".maps")

/* syscalls: a plain hash, not LRU: exits delete entries, so a full map means more live processes
 * than it holds, which is counted in process_map_full instead of silently evicting someone. */
#define PROCESS_SYSCALLS_MAP                                 \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_HASH);             \
		__uint(max_entries, SYSCALLS_MAX_PROCESSES); \
		__type(key, __u32);                          \
		__type(value, struct process_syscall_counts); \
	} process_syscalls SEC(".maps")

/* memory_events: faults and reclaim per tgid; full is counted in process_map_full. */
#define PROCESS_MEMORY_MAP                                   \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_HASH);             \
		__uint(max_entries, MEMORY_EVENTS_MAX_PROCESSES); \
		__type(key, __u32);                          \
		__type(value, struct process_memory_events); \
	} process_memory SEC(".maps")

/* disk_metrics: bytes per submitting tgid, an LRU (completions can outlive the submitter). */
#define DISK_PROCESSES_MAP                                   \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);         \
		__uint(max_entries, DISK_METRICS_MAX_PROCESSES); \
		__type(key, __u32);                          \
		__type(value, struct disk_process_counters); \
	} disk_processes SEC(".maps")

/* network_metrics: socket bytes per tgid, an LRU. */
#define NETWORK_PROCESSES_MAP                                \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);         \
		__uint(max_entries, NETWORK_METRICS_MAX_PROCESSES); \
		__type(key, __u32);                          \
		__type(value, struct network_process_counters); \
	} network_processes SEC(".maps")

/* sched_latency: run-queue waits per tgid, an LRU of histograms. */
#define PROCESS_WAITS_MAP                                    \
	struct {                                             \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);         \
		__uint(max_entries, SCHED_LATENCY_MAX_PROCESSES); \
		__type(key, __u32);                          \
		__type(value, struct log2_hist);             \
	} process_waits SEC(".maps")

#endif
