/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The networking kernel types network_metrics.bpf.c touches, relocated with CO-RE like
 * core_types.h: only the names and types of these fields must match the running kernel (libbpf
 * finds them inside the kernel's anonymous unions too).
 */
#ifndef SMOOTHTASK_CORE_TYPES_NET_H
#define SMOOTHTASK_CORE_TYPES_NET_H

#include <linux/types.h>

struct net_device {
	int ifindex;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	unsigned int len;        /* bytes from data on: at receive, the link header is already pulled */
	__u16 mac_header;        /* offsets from head; ~0 when unset */
	__u16 network_header;
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned short skc_family;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

#endif
