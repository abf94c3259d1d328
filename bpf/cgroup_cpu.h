/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps of cgroup_cpu.bpf.c, read by SmoothTaskCollectors (CgroupCPUProgram), which imports these
 * structs through Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the BTF.
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

/* One CPU's state: only that CPU writes its slot (PERCPU_ARRAY), so no atomics are needed. */
struct cgroup_switch_state {
	__u64 last_switch_ns; /* bpf_ktime_get_ns() of this CPU's latest switch; 0 = none seen yet */
	__u64 running_cgroup; /* cgroup of the task switched in then, 0 for idle: userspace adds the open interval */
	__u64 dropped;        /* on-CPU intervals not charged because cgroup_cpu_ns was full */
	__u64 running_start_runtime_ns; /* se.sum_exec_runtime of the task switched in then: its cgroup is charged the growth at switch-out */
	__u32 running_pid;              /* thread id of that task (task_clock_ran() in core_types.h) */
	__u32 padding;
};

#endif
