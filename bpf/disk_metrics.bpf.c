// SPDX-License-Identifier: GPL-2.0
/*
 * disk_metrics: block I/O per device (requests, bytes read and written, issue-to-completion latency
 * in a log2 histogram) and bytes per process.
 *
 * block_rq_issue starts a request's clock, block_rq_complete stops it and counts its bytes; a
 * request completed in parts counts each part's bytes and is timed and counted once, at its last
 * part. block_io_start (Linux 6.5+) runs in the context of the process that submitted the I/O, so
 * it names the process; writeback and the device's own work queues would otherwise be charged.
 * Without it (older kernels) the process current at issue is charged.
 *
 * The daemon reports each device's requests and bytes from /proc/diskstats and keeps these
 * counters only where that file cannot be read: on Linux 6.18 block_rq_complete left out some
 * completed requests that /proc/diskstats counted (bpftrace saw the same gap).
 *
 * Why tp_btf: tracepoints are the kernel's stable ABI, kprobes and fentry are not available on the
 * kernels we target, and tp_btf needs no tracefs (CAP_BPF + CAP_PERFMON suffice).
 */
#include "core_types.h"
#include "core_types_block.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "disk_metrics.h"
#include "process_maps.h"

char LICENSE[] SEC("license") = "GPL";

#define REQ_OP_MASK 0xff
#define REQ_OP_READ 0
#define REQ_OP_WRITE 1
#define MINORBITS 20

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DISK_METRICS_MAX_INFLIGHT);
	__type(key, __u64); /* struct request * */
	__type(value, struct disk_inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DISK_METRICS_MAX_DEVICES);
	__type(key, __u32); /* dev_t */
	__type(value, struct disk_device_counters);
} devices SEC(".maps");

/* Looks up key, creating a zeroed entry first if needed (another CPU may win that race: fine). */
static __always_inline void *lookup_or_create(void *map, const void *key, const void *zero)
{
	void *value = bpf_map_lookup_elem(map, key);
	if (value)
		return value;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

SEC("tp_btf/block_io_start")
int BPF_PROG(record_submitter, struct request *rq)
{
	__u64 key = (__u64)rq;
	/* A new request always passes here first: overwrite whatever a missed completion left. */
	struct disk_inflight entry = { .tgid = current_daemon_tgid() };
	bpf_map_update_elem(&inflight, &key, &entry, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(record_issue, struct request *rq)
{
	__u64 key = (__u64)rq;
	__u64 now = bpf_ktime_get_ns();
	struct disk_inflight *entry = bpf_map_lookup_elem(&inflight, &key);
	if (entry) {
		entry->issued_ns = now; /* a requeued request is timed from its last issue */
		return 0;
	}
	struct disk_inflight fresh = { .issued_ns = now, .tgid = current_daemon_tgid() };
	bpf_map_update_elem(&inflight, &key, &fresh, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(record_completion, struct request *rq, int error, unsigned int nr_bytes)
{
	static const struct disk_device_counters zero_device = {};
	struct gendisk *disk = rq->q->disk;
	if (!disk)
		return 0;
	__u32 dev = ((__u32)disk->major << MINORBITS) | (__u32)disk->first_minor;
	__u32 op = rq->cmd_flags & REQ_OP_MASK;
	/* __data_len still holds the bytes before this completion: the last part completes them all. */
	_Bool last_part = nr_bytes >= rq->__data_len;

	struct disk_device_counters *counters = lookup_or_create(&devices, &dev, &zero_device);
	__u64 key = (__u64)rq;
	struct disk_inflight *entry = bpf_map_lookup_elem(&inflight, &key);
	struct process_counters *process = entry ? process_entry(entry->tgid) : NULL;

	if (op == REQ_OP_READ) {
		if (counters)
			__sync_fetch_and_add(&counters->read_bytes, nr_bytes);
		if (process)
			__sync_fetch_and_add(&process->disk_read_bytes, nr_bytes);
	} else if (op == REQ_OP_WRITE) {
		if (counters)
			__sync_fetch_and_add(&counters->write_bytes, nr_bytes);
		if (process)
			__sync_fetch_and_add(&process->disk_write_bytes, nr_bytes);
	}
	if (!last_part)
		return 0;

	if (counters) {
		if (op == REQ_OP_READ)
			__sync_fetch_and_add(&counters->read_requests, 1);
		else if (op == REQ_OP_WRITE)
			__sync_fetch_and_add(&counters->write_requests, 1);
		else
			__sync_fetch_and_add(&counters->other_requests, 1);
		if (entry && entry->issued_ns != 0) {
			__u64 now = bpf_ktime_get_ns();
			log2_hist_record(&counters->latency, now > entry->issued_ns ? now - entry->issued_ns : 0);
		}
	}
	if (entry)
		bpf_map_delete_elem(&inflight, &key);
	return 0;
}
