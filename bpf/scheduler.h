/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The feature switches of scheduler.bpf.c: bits of its scheduler_features global, written by
 * SmoothTaskCollectors' SchedulerObject, which imports them through Sources/CSmoothTaskBPFTypes.
 */
#ifndef SMOOTHTASK_SCHEDULER_H
#define SMOOTHTASK_SCHEDULER_H

/* cpu_metrics: per-CPU busy/idle time and per-process on-CPU time (enable_cpu_metrics). */
#define SCHEDULER_FEATURE_CPU 1u
/* cgroup_cpu: on-CPU time per cgroup v2 (enable_cgroup_metrics). */
#define SCHEDULER_FEATURE_CGROUPS 2u
/* sched_latency: the end of each run-queue wait (enable_sched_latency); its wakeup programs are
 * attached only while it is on. */
#define SCHEDULER_FEATURE_RUN_QUEUE 4u

#endif
