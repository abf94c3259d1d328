// SPDX-License-Identifier: GPL-2.0
/*
 * network_metrics: bytes and packets per interface (net_dev_xmit, netif_receive_skb), bytes sent
 * and received per process over IPv4/IPv6 sockets (sock_send_length, sock_recv_length), and TCP
 * retransmissions (tcp_retransmit_skb).
 *
 * The sock tracepoints fire in sock_sendmsg/sock_recvmsg in the caller's context, so the process is
 * the one that sent or received; they cover send/write/sendmsg/splice and recv/read/recvmsg on
 * sockets. Unix and netlink sockets are local IPC, not network traffic, and are skipped.
 *
 * Why tp_btf: tracepoints are the kernel's stable ABI, kprobes and fentry are not available on the
 * kernels we target, and tp_btf needs no tracefs (CAP_BPF + CAP_PERFMON suffice). The sock
 * tracepoints exist since Linux 6.4; NetworkMetricsProgram leaves them out on older kernels.
 */
#include "core_types.h"
#include "core_types_net.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "network_metrics.h"
#include "process_maps.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define MSG_PEEK 2
#define NETDEV_TX_OK 0
#define MAC_HEADER_UNSET ((__u16)~0U)

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NETWORK_METRICS_MAX_INTERFACES);
	__type(key, __u32); /* ifindex */
	__type(value, struct network_interface_counters);
} interfaces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tcp_retransmits SEC(".maps");

static __always_inline struct network_interface_counters *interface_counters(__u32 ifindex)
{
	static const struct network_interface_counters zero = {};
	struct network_interface_counters *counters = bpf_map_lookup_elem(&interfaces, &ifindex);
	if (counters)
		return counters;
	bpf_map_update_elem(&interfaces, &ifindex, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&interfaces, &ifindex);
}

static __always_inline struct process_counters *current_process_counters(void)
{
	return process_entry(current_daemon_tgid());
}

static __always_inline _Bool is_inet(struct sock *sk)
{
	if (!sk)
		return 0;
	unsigned short family = sk->__sk_common.skc_family;
	return family == AF_INET || family == AF_INET6;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(count_send, struct sock *sk, int ret, int flags)
{
	if (ret <= 0 || !is_inet(sk))
		return 0;
	struct process_counters *counters = current_process_counters();
	if (counters) {
		__sync_fetch_and_add(&counters->net_sent_bytes, ret);
		__sync_fetch_and_add(&counters->net_send_calls, 1);
	}
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(count_receive, struct sock *sk, int ret, int flags)
{
	/* A peek leaves the bytes queued: they are counted when really read. */
	if (ret <= 0 || (flags & MSG_PEEK) || !is_inet(sk))
		return 0;
	struct process_counters *counters = current_process_counters();
	if (counters) {
		__sync_fetch_and_add(&counters->net_received_bytes, ret);
		__sync_fetch_and_add(&counters->net_receive_calls, 1);
	}
	return 0;
}

SEC("tp_btf/net_dev_xmit")
int BPF_PROG(count_transmit, struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len)
{
	if (rc != NETDEV_TX_OK || !dev)
		return 0;
	struct network_interface_counters *counters = interface_counters(dev->ifindex);
	if (counters) {
		__sync_fetch_and_add(&counters->tx_bytes, skb_len);
		__sync_fetch_and_add(&counters->tx_packets, 1);
	}
	return 0;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(count_receive_packet, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	if (!dev)
		return 0;
	/* The driver already pulled the link header; add it back to count what the wire carried. */
	__u32 bytes = skb->len;
	__u16 mac = skb->mac_header, network = skb->network_header;
	if (mac != MAC_HEADER_UNSET && network > mac)
		bytes += network - mac;
	struct network_interface_counters *counters = interface_counters(dev->ifindex);
	if (counters) {
		__sync_fetch_and_add(&counters->rx_bytes, bytes);
		__sync_fetch_and_add(&counters->rx_packets, 1);
	}
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(count_retransmit)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&tcp_retransmits, &zero);
	if (count)
		(*count)++;
	return 0;
}
