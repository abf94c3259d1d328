/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps of disk_metrics.bpf.c, read by SmoothTaskCollectors, which imports these structs through
 * Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the compiled object's BTF.
 */
#ifndef SMOOTHTASK_DISK_METRICS_H
#define SMOOTHTASK_DISK_METRICS_H

#include "log2_hist.h"

/* Block devices (whole disks) with counters: far more than a machine has disks and loop devices. */
#define DISK_METRICS_MAX_DEVICES 256
/*
 * Requests between io_start/issue and completion. A device queue holds at most a few hundred
 * requests; a request that finds the map full is counted but neither timed nor charged to a process.
 */
#define DISK_METRICS_MAX_INFLIGHT 8192

/* One request in flight, keyed by its struct request pointer. */
struct disk_inflight {
	__u64 issued_ns; /* bpf_ktime_get_ns() at block_rq_issue; 0 until issued */
	__u32 tgid;      /* the process that submitted it (or issued it, without block_io_start), daemon_tgid() */
	__u32 padding;
};

/* One device's totals since load, keyed by the kernel's dev_t (major << 20 | minor). */
struct disk_device_counters {
	__u64 read_requests;
	__u64 write_requests;
	__u64 other_requests; /* flush, discard, write-zeroes, ... */
	__u64 read_bytes;
	__u64 write_bytes;
	struct log2_hist latency; /* issue to completion, per request */
};


#endif
