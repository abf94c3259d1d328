/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps of network_metrics.bpf.c, read by SmoothTaskCollectors, which imports these structs through
 * Sources/CSmoothTaskBPFTypes; StructLayoutTests checks their layout against the compiled object's BTF.
 */
#ifndef SMOOTHTASK_NETWORK_METRICS_H
#define SMOOTHTASK_NETWORK_METRICS_H

/* Interfaces (by ifindex) with counters; containers' veth pairs can number in the hundreds. */
#define NETWORK_METRICS_MAX_INTERFACES 1024

/* One interface's totals since load, keyed by ifindex. */
struct network_interface_counters {
	__u64 rx_bytes;   /* link header included, as /sys/class/net/IF/statistics counts */
	__u64 rx_packets; /* socket buffers: a GRO-merged packet counts once */
	__u64 tx_bytes;
	__u64 tx_packets; /* socket buffers: a TSO/GSO packet counts once */
};


#endif
