/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A log2 latency histogram shared by scheduler.bpf.c (run-queue latency) and disk_metrics.bpf.c, read by
 * SmoothTaskCollectors (imported through Sources/CSmoothTaskBPFTypes, read as Log2HistogramSlots,
 * whose layout StructLayoutTests checks against this struct's, and turned into percentiles by
 * LatencyHistogram).
 *
 * Slot 0 holds 0 and 1 ns, slot i >= 1 holds [2^i, 2^(i+1)) ns, and the last slot everything from
 * 2^(LOG2_HIST_SLOTS-1) ns on. Counters only grow; userspace subtracts two readings for a window.
 */
#ifndef SMOOTHTASK_LOG2_HIST_H
#define SMOOTHTASK_LOG2_HIST_H

/* 36 slots reach 2^35 ns = 34 s: longer than any run-queue wait or I/O worth telling apart. */
#define LOG2_HIST_SLOTS 36

struct log2_hist {
	__u64 slots[LOG2_HIST_SLOTS];
	__u64 total_ns; /* sum of every recorded value, for the mean */
};

#ifdef __bpf__
/* floor(log2(v)) for v > 0 without loops, which the verifier would have to unroll (libbpf-tools' log2l). */
static __always_inline __u32 log2_hist_log2_32(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xFFFF) << 4; v >>= r;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 log2_hist_slot(__u64 ns)
{
	__u32 high = ns >> 32;
	__u32 slot = high ? log2_hist_log2_32(high) + 32 : log2_hist_log2_32((__u32)ns);
	return slot < LOG2_HIST_SLOTS ? slot : LOG2_HIST_SLOTS - 1;
}

/* Records one value in a histogram several CPUs may update at once (a shared hash entry). */
static __always_inline void log2_hist_record(struct log2_hist *hist, __u64 ns)
{
	__sync_fetch_and_add(&hist->slots[log2_hist_slot(ns)], 1);
	__sync_fetch_and_add(&hist->total_ns, ns);
}

/* Records one value in a histogram only this CPU writes (a per-CPU map): no atomics needed. */
static __always_inline void log2_hist_record_local(struct log2_hist *hist, __u64 ns)
{
	hist->slots[log2_hist_slot(ns)]++;
	hist->total_ns += ns;
}
#endif

#endif
