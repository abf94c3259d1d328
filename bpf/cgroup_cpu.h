/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The size of cgroup_cpu's map in scheduler.bpf.c, read by SmoothTaskCollectors (CgroupCPUProgram); its
 * per-CPU state is cpu_metrics.h's struct cpu_switch_accounting, shared with CPU accounting.
 */
#ifndef SMOOTHTASK_CGROUP_CPU_H
#define SMOOTHTASK_CGROUP_CPU_H

/*
 * Room for every cgroup of a busy host: a systemd machine has a few hundred (one per unit, scope
 * and slice), a container host a few thousand. 8192 x (8 B key + 8 B value + ~50 B hash overhead)
 * is about 0.5 MiB of kernel memory. Userspace deletes the entries of removed cgroups; an update
 * that still finds the map full is counted in cgroup_cpu_drops, never silently lost.
 */
#define CGROUP_CPU_MAX_CGROUPS 8192

#endif
