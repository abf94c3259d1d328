/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One entry per live process (tgid) holding everything SmoothTask counts for it, read by
 * SmoothTaskCollectors through Sources/CSmoothTaskBPFTypes; StructLayoutTests checks the layout
 * against the compiled objects' BTF.
 */
#ifndef SMOOTHTASK_PROCESS_TABLE_H
#define SMOOTHTASK_PROCESS_TABLE_H

/*
 * Live processes with counters: far above the few thousand a busy machine runs. A plain hash, not
 * an LRU: exits delete entries, so a full table means more live processes than it holds, which is
 * counted (process_table_full) instead of silently evicting someone's totals.
 * 16384 x (4 B key + 120 B value + ~50 B overhead) is about 2.8 MiB.
 */
#define PROCESS_TABLE_MAX_PROCESSES 16384

/* Since the process started or the table was created, whichever is later. Threads of one process
 * update it from several CPUs at once: every add is atomic. */
struct process_counters {
	__u64 cpu_ns;              /* cpu_metrics: on CPU (charged at each switch-out) */
	__u64 syscalls;            /* syscalls: returned (counted on sys_exit) */
	__u64 failed_syscalls;     /* syscalls: returned an errno */
	__u64 user_faults;         /* memory_events: page faults in user mode */
	__u64 reclaim_stalls;      /* memory_events: direct or cgroup reclaim passes */
	__u64 reclaim_ns;          /* memory_events: time in those passes */
	__u64 disk_read_bytes;     /* disk_metrics: completed reads it submitted */
	__u64 disk_write_bytes;    /* disk_metrics: completed writes it submitted */
	__u64 net_sent_bytes;      /* network_metrics: IPv4/IPv6 socket bytes sent */
	__u64 net_received_bytes;  /* network_metrics: IPv4/IPv6 socket bytes received */
	__u64 net_send_calls;      /* network_metrics: send calls that sent bytes */
	__u64 net_receive_calls;   /* network_metrics: receive calls that got bytes */
	__u64 run_queue_wait_ns;   /* sched_latency: time its threads waited runnable */
	__u32 has_command;         /* process_lifecycle: 1 once it exec'd and its command line was kept */
	__u32 execs;               /* process_lifecycle: execs seen, so the daemon knows when to re-read its name */
};

#endif
