/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map sizes of run-queue latency in scheduler.bpf.c. Its values are struct log2_hist (log2_hist.h) and plain __u64s,
 * read by SmoothTaskCollectors' SchedLatencyProgram.
 */
#ifndef SMOOTHTASK_SCHED_LATENCY_H
#define SMOOTHTASK_SCHED_LATENCY_H

/*
 * Processes (tgid) with a histogram of their own. An LRU, so processes that stopped waiting for a
 * CPU make room for new ones: 4096 x (296 B histogram + ~60 B overhead) is about 1.4 MiB.
 */
#define SCHED_LATENCY_MAX_PROCESSES 4096

#endif
