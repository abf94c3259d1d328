/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps and records of process_lifecycle.bpf.c, read by SmoothTaskCollectors, which imports these
 * structs through Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the
 * compiled object's BTF.
 */
#ifndef SMOOTHTASK_PROCESS_LIFECYCLE_H
#define SMOOTHTASK_PROCESS_LIFECYCLE_H

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

/* Which per-process maps had an entry for the exiting process (process_exit_record.found). */
#define PROCESS_FOUND_CPU (1u << 0)
#define PROCESS_FOUND_SYSCALLS (1u << 1)
#define PROCESS_FOUND_MEMORY (1u << 2)
#define PROCESS_FOUND_DISK (1u << 3)
#define PROCESS_FOUND_NETWORK (1u << 4)
#define PROCESS_FOUND_RUN_QUEUE (1u << 5)

/* A command line captured at exec: argv's strings, NUL-separated, cut at PROCESS_COMMAND_BYTES. */
struct process_command {
	__u32 length;
	__u32 padding;
	char bytes[PROCESS_COMMAND_BYTES];
};

/*
 * One process (thread group) that exited, with the totals every per-process map held for it when
 * its last thread left: sent through the ring buffer by sched_process_exit. Times are
 * CLOCK_BOOTTIME nanoseconds, the clock /proc/PID/stat's start time uses.
 */
struct process_exit_record {
	__u64 start_ns;          /* group leader's start_boottime */
	__u64 exit_ns;           /* bpf_ktime_get_boot_ns() at exit */
	__u64 cgroup_id;         /* cgroup v2 id (inode of its /sys/fs/cgroup directory) */
	__u64 cpu_ns;            /* on CPU since it started or since attach, running slice included */
	__u64 syscalls;
	__u64 failed_syscalls;
	__u64 user_faults;
	__u64 reclaim_stalls;
	__u64 reclaim_ns;
	__u64 disk_read_bytes;
	__u64 disk_write_bytes;
	__u64 net_sent_bytes;
	__u64 net_received_bytes;
	__u64 net_send_calls;
	__u64 net_receive_calls;
	__u64 run_queue_wait_ns;
	__u32 pid;               /* tgid */
	__u32 ppid;              /* tgid of its parent at exit */
	__u32 uid;               /* effective uid, the owner /proc shows */
	__u32 exit_code;         /* wait status: exit status << 8, or the signal number (| 0x80 core dump) */
	__u32 found;             /* PROCESS_FOUND_* bits */
	__u32 command_length;    /* bytes of command used; 0 when it did not exec while we watched */
	char comm[16];           /* TASK_COMM_LEN */
	char command[PROCESS_COMMAND_BYTES];
};

/* One CPU's counts since load. */
struct process_lifecycle_totals {
	__u64 exits;             /* processes whose last thread exited */
	__u64 dropped_records;   /* exits whose record found the ring buffer full */
	__u64 command_map_full;  /* execs whose command line could not be kept */
};

#endif
