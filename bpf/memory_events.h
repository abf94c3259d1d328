/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps of memory_events.bpf.c, read by SmoothTaskCollectors, which imports these structs through
 * Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the compiled object's BTF.
 */
#ifndef SMOOTHTASK_MEMORY_EVENTS_H
#define SMOOTHTASK_MEMORY_EVENTS_H

/* Threads inside reclaim at one instant: each holds a CPU or sleeps in reclaim, so a few per CPU;
 * 4096 covers 1024 CPUs with room. A thread that cannot be tracked is counted in reclaim_untracked. */
#define MEMORY_EVENTS_MAX_RECLAIMING_THREADS 4096

/* OOM victims kept, newest overwriting oldest: more than one collection interval sees in practice;
 * oom_kills still counts every one. */
#define MEMORY_EVENTS_OOM_SLOTS 16

/* One CPU's counts since the object was loaded, while the programs were attached. */
struct memory_event_totals {
	__u64 user_faults;        /* page faults taken in user mode (exceptions/page_fault_user) */
	__u64 reclaim_stalls;     /* direct or cgroup reclaim passes finished by a task */
	__u64 reclaim_ns;         /* time tasks spent in those passes */
	__u64 reclaim_untracked;  /* reclaim passes whose start could not be recorded (map full) */
	__u64 process_map_full;   /* unused since the process table counts its own (kept for the layout) */
};

/* One OOM kill, as oom/mark_victim saw it. */
struct oom_victim {
	__u64 time_ns;   /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) of the kill */
	__u32 pid;       /* tgid of the victim in the daemon's pid namespace; 0 if outside it */
	__u32 uid;       /* its owner */
	char comm[16];   /* its command name (TASK_COMM_LEN) */
};

#endif
