// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_metrics: how long each CPU is busy or idle, and how long each process (tgid) runs on CPU.
 *
 * Every context switch closes the interval that started at the CPU's previous switch: it is charged
 * to busy or idle time depending on whether the task switched out was the idle task, and to that
 * task's process. Userspace adds the interval still open since the latest switch when it reads.
 *
 * The process is charged on the task clock, not the wall-clock interval: what prev's
 * se.sum_exec_runtime grew by since it was switched in. Under host contention (paravirt steal
 * time) the interval is longer than what the task ran, and /proc/PID/stat, rusage and the kernel's
 * cgroup cpu.stat count only the latter; the CPU's busy time keeps the interval, as /proc/stat does.
 *
 * Why tp_btf/sched_switch: a tracepoint is a stable kernel ABI, kprobes and fentry are not
 * available on the kernels we target, and tp_btf (unlike tracepoint/) needs no tracefs, so a
 * daemon holding only CAP_BPF + CAP_PERFMON can attach it; BTF also lets us read task fields
 * directly.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "cpu_metrics.h"
#include "process_maps.h"

char LICENSE[] SEC("license") = "GPL";

CPU_ACCOUNTING_MAP;

SEC("tp_btf/sched_switch")
int BPF_PROG(account_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u32 zero = 0;
	struct cpu_switch_accounting *cpu = bpf_map_lookup_elem(&cpu_accounting, &zero);
	if (!cpu)
		return 0;

	__u64 now = bpf_ktime_get_ns();
	if (cpu->last_switch_ns != 0 && now > cpu->last_switch_ns) {
		__u64 delta = now - cpu->last_switch_ns;
		if (prev->pid == 0) {
			cpu->idle_ns += delta;
		} else {
			cpu->busy_ns += delta;
			/* After process_lifecycle sent a dead process's totals, its last switch
			 * re-creates the entry with the exit's last microseconds: the daemon adds them
			 * to the exited process and deletes it. */
			/* prev is the task the previous switch on this CPU let in, whose tgid is kept in
			 * the daemon's numbering: no second translation per switch in a container. */
			__u64 ran = task_clock_ran(prev, cpu->running_pid, cpu->running_start_runtime_ns, delta);
			struct process_counters *process =
				ran == 0 ? NULL : process_entry(pid_namespace_level == 0 ? prev->tgid : cpu->running_tgid);
			if (process)
				__sync_fetch_and_add(&process->cpu_ns, ran);
		}
	}
	cpu->last_switch_ns = now;
	cpu->running_start_runtime_ns = next->se.sum_exec_runtime;
	cpu->running_pid = next->pid;
	cpu->running_idle = next->pid == 0;
	cpu->running_tgid = next->pid == 0 ? 0 : daemon_tgid(next, next->tgid);
	return 0;
}
