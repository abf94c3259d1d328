/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps and records of process_lifecycle.bpf.c, read by SmoothTaskCollectors, which imports these
 * structs through Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the
 * compiled object's BTF.
 */
#ifndef SMOOTHTASK_PROCESS_LIFECYCLE_H
#define SMOOTHTASK_PROCESS_LIFECYCLE_H

#include "process_table.h"

/* Bytes of a command line kept from exec: what a short-lived process is usually recognised by
 * (program and first arguments), cheap enough to copy into every exit record. */
#define PROCESS_COMMAND_BYTES 128

/* Command lines of processes that exec'd while the program ran, an LRU: the exit record needs them
 * for the short-lived (a long-lived process's line is in /proc while it runs, and losing the oldest
 * costs it only the line in its exit record). Preallocated, so exec and exit allocate nothing:
 * 4096 x (136 B + ~60 B) is about 800 KiB. */
#define PROCESS_LIFECYCLE_MAX_COMMANDS 4096

/*
 * Exit records waiting for the daemon: ~300 B each, so 1 MiB holds about 3,400 exits. The daemon
 * drains it every 100 ms (and is woken when it is half full), so it is lost only above ~30,000
 * exits a second; a record that finds it full is counted in dropped_records, never lost silently.
 */
#define PROCESS_LIFECYCLE_RING_BYTES (1024 * 1024)

/* A command line captured at exec: argv's strings, NUL-separated, cut at PROCESS_COMMAND_BYTES. */
struct process_command {
	__u32 length;
	__u32 padding;
	char bytes[PROCESS_COMMAND_BYTES];
};

/*
 * One process (thread group) that exited, with its entry of the process table when its last thread
 * left: sent through the ring buffer by sched_process_exit. Times are CLOCK_BOOTTIME nanoseconds,
 * the clock /proc/PID/stat's start time uses.
 */
struct process_exit_record {
	__u64 start_ns;          /* group leader's start_boottime */
	__u64 exit_ns;           /* bpf_ktime_get_boot_ns() at exit */
	__u64 cgroup_id;         /* cgroup v2 id (inode of its /sys/fs/cgroup directory) */
	struct process_counters totals; /* cpu_ns with the exiting thread's running slice */
	__u32 pid;               /* tgid, in the daemon's pid namespace (pid_namespace.h) */
	__u32 ppid;              /* tgid of its parent at exit, likewise; 0 if the parent is outside it */
	__u32 uid;               /* effective uid, the owner /proc shows */
	__u32 exit_code;         /* wait status: exit status << 8, or the signal number (| 0x80 core dump) */
	__u32 in_table;          /* 1 if the process table had an entry for it */
	__u32 command_length;    /* bytes of command used; 0 when it did not exec while we watched */
	char comm[16];           /* TASK_COMM_LEN, of the group leader */
	char command[PROCESS_COMMAND_BYTES];
};

/* One CPU's counts since load. */
struct process_lifecycle_totals {
	__u64 exits;             /* processes whose last thread exited */
	__u64 dropped_records;   /* exits whose record found the ring buffer full */
	__u64 command_map_full;  /* execs whose command line could not be kept */
};

#endif
