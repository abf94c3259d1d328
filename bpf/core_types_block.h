/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block-layer kernel types disk_metrics.bpf.c touches, relocated with CO-RE like core_types.h:
 * only the names and types of these fields must match the running kernel.
 */
#ifndef SMOOTHTASK_CORE_TYPES_BLOCK_H
#define SMOOTHTASK_CORE_TYPES_BLOCK_H

#include <linux/types.h>

struct gendisk {
	int major;
	int first_minor;
} __attribute__((preserve_access_index));

struct request_queue {
	struct gendisk *disk; /* since Linux 5.15 (before: request.rq_disk) */
} __attribute__((preserve_access_index));

struct request {
	struct request_queue *q;
	unsigned int cmd_flags;  /* blk_opf_t: the operation in the low 8 bits */
	unsigned int __data_len; /* bytes not yet completed */
} __attribute__((preserve_access_index));

#endif
