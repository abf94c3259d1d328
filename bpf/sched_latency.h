/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map sizes of sched_latency.bpf.c. Its values are struct log2_hist (log2_hist.h) and plain __u64s,
 * read by SmoothTaskCollectors' SchedLatencyProgram.
 */
#ifndef SMOOTHTASK_SCHED_LATENCY_H
#define SMOOTHTASK_SCHED_LATENCY_H

/*
 * Threads woken or preempted but not yet running. Entries leave when the thread runs, so the map
 * holds at most the runnable threads; 10240 (as libbpf-tools' runqlat) is far above any run-queue
 * depth, and a wakeup that finds it full is simply not measured. 10240 x ~70 B is about 700 KiB.
 */
#define SCHED_LATENCY_MAX_WAITING 10240

/*
 * Processes (tgid) with a histogram of their own. An LRU, so processes that stopped waiting for a
 * CPU make room for new ones: 4096 x (296 B histogram + ~60 B overhead) is about 1.4 MiB.
 */
#define SCHED_LATENCY_MAX_PROCESSES 4096

#endif
