/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the programs that accumulate nanoseconds per key in a hash map. */
#ifndef SMOOTHTASK_MAP_ADD_H
#define SMOOTHTASK_MAP_ADD_H

#include <bpf/bpf_helpers.h>

/*
 * Adds delta to map[key], creating the entry when it is absent. Several CPUs may charge one key at
 * once (threads of one process, tasks of one cgroup), so the add is atomic, and an entry another
 * CPU created meanwhile (BPF_NOEXIST fails) is added to instead of overwritten. Returns 0 only
 * when the map is full and the entry could not be created.
 */
static __always_inline int map_add_u64(void *map, const void *key, __u64 delta)
{
	__u64 *total = bpf_map_lookup_elem(map, key);
	if (total) {
		__sync_fetch_and_add(total, delta);
		return 1;
	}
	if (bpf_map_update_elem(map, key, &delta, BPF_NOEXIST) == 0)
		return 1;
	total = bpf_map_lookup_elem(map, key);
	if (!total)
		return 0;
	__sync_fetch_and_add(total, delta);
	return 1;
}

#endif
