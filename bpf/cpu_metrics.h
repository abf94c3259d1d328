/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-CPU switch state of scheduler.bpf.c (cpu_metrics and cgroup_cpu share it), read by SmoothTaskCollectors, which imports this struct through
 * Sources/CSmoothTaskBPFTypes; StructLayoutTests checks its layout against the compiled object's BTF.
 */
#ifndef SMOOTHTASK_CPU_METRICS_H
#define SMOOTHTASK_CPU_METRICS_H

/*
 * One CPU's switch state and accounting since CPU or cgroup accounting was switched on. Only that CPU writes its slot
 * (PERCPU_ARRAY), so no atomics are needed. last_switch_ns == 0 means no switch has been seen on
 * this CPU since the slot was zeroed: nothing is known about it yet.
 *
 * Two clocks: a CPU's busy and idle time are wall-clock (bpf_ktime_get_ns) intervals, as /proc/stat
 * counts them (time stolen by the hypervisor is busy there); a process is charged on its own task
 * clock (se.sum_exec_runtime), as /proc/PID/stat and rusage count it, without the steal. The
 * growth is taken only when the thread switched out is the one seen switched in (running_pid) and
 * never above the interval: rarely (~0.5% of switches on a loaded 6.18 VM) sched_switch's prev is
 * not the previous switch's next on that CPU, and another thread's start would charge a
 * long-lived process its whole lifetime; the interval is charged then, as before.
 */
struct cpu_switch_accounting {
	__u64 busy_ns;        /* time a non-idle task ran, up to last_switch_ns */
	__u64 idle_ns;        /* time the idle task (pid 0) ran, up to last_switch_ns */
	__u64 last_switch_ns; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) of the latest switch */
	__u32 running_tgid;   /* tgid (daemon_tgid()) of the task switched in at last_switch_ns, 0 for idle or outside the daemon's pid namespace */
	__u32 running_idle;   /* 1 while the idle task runs: userspace adds now - last_switch_ns to idle_ns */
	__u64 running_start_runtime_ns; /* se.sum_exec_runtime of the task switched in at last_switch_ns: its process is charged the growth at switch-out */
	__u32 running_pid;    /* thread id of that task: a switch-out of another thread charges the interval instead */
	__u32 padding;
	/* cgroup_cpu's part. The cgroup v2 id of the task switched in, read only while cgroup accounting
	 * is on (0 otherwise, and for idle): its switch-out charges that cgroup, and a slice begun while
	 * the feature was off (0) is not charged. Userspace adds the open interval to it. */
	__u64 running_cgroup;
	__u64 cgroup_dropped; /* on-CPU intervals not charged because cgroup_cpu_ns was full */
	/* se.sum_exec_runtime of the task switched in, for its cgroup: running_start_runtime_ns as it was
	 * then. process_lifecycle's exit program moves running_start_runtime_ns past the slice it charges
	 * the exiting process, which its cgroup must still be charged at the final switch-out. */
	__u64 running_cgroup_start_runtime_ns;
};

#endif
