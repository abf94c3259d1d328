/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps of cpu_metrics.bpf.c, read by SmoothTaskCollectors, which imports this struct through
 * Sources/CSmoothTaskBPFTypes; StructLayoutTests checks its layout against the compiled object's BTF.
 */
#ifndef SMOOTHTASK_CPU_METRICS_H
#define SMOOTHTASK_CPU_METRICS_H

/*
 * One CPU's accounting since the program was attached. Only that CPU writes its slot
 * (PERCPU_ARRAY), so no atomics are needed. last_switch_ns == 0 means no switch has been seen on
 * this CPU since the slot was zeroed: nothing is known about it yet.
 */
struct cpu_switch_accounting {
	__u64 busy_ns;        /* time a non-idle task ran, up to last_switch_ns */
	__u64 idle_ns;        /* time the idle task (pid 0) ran, up to last_switch_ns */
	__u64 last_switch_ns; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) of the latest switch */
	__u32 running_tgid;   /* tgid (daemon_tgid()) of the task switched in at last_switch_ns, 0 for idle or outside the daemon's pid namespace */
	__u32 running_idle;   /* 1 while the idle task runs: userspace adds now - last_switch_ns to idle_ns */
};

#endif
