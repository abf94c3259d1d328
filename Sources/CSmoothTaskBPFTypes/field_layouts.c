// SPDX-License-Identifier: GPL-2.0
#include "CSmoothTaskBPFTypes.h"

#define FIELD(type, field) \
	{ #type, #field, offsetof(struct type, field), sizeof(((struct type *)0)->field), sizeof(struct type) }

static const struct smoothtask_field_layout smoothtask_field_layouts[] = {
	FIELD(log2_hist, slots), FIELD(log2_hist, total_ns),
	FIELD(cpu_switch_accounting, busy_ns), FIELD(cpu_switch_accounting, idle_ns),
	FIELD(cpu_switch_accounting, last_switch_ns), FIELD(cpu_switch_accounting, running_tgid),
	FIELD(cpu_switch_accounting, running_idle), FIELD(cpu_switch_accounting, running_start_runtime_ns),
	FIELD(cpu_switch_accounting, running_pid), FIELD(cpu_switch_accounting, padding),
	FIELD(cpu_switch_accounting, running_cgroup), FIELD(cpu_switch_accounting, cgroup_dropped),
	FIELD(cpu_switch_accounting, running_cgroup_start_runtime_ns),
	FIELD(syscall_totals, count), FIELD(syscall_totals, failures), FIELD(syscall_totals, beyond_table),
	FIELD(syscall_totals, process_map_full), FIELD(syscall_totals, failure_map_full),
	FIELD(syscall_failure_key, id), FIELD(syscall_failure_key, error),
	FIELD(process_command, length), FIELD(process_command, padding), FIELD(process_command, bytes),
	FIELD(process_counters, cpu_ns), FIELD(process_counters, syscalls), FIELD(process_counters, failed_syscalls),
	FIELD(process_counters, user_faults), FIELD(process_counters, reclaim_stalls), FIELD(process_counters, reclaim_ns),
	FIELD(process_counters, disk_read_bytes), FIELD(process_counters, disk_write_bytes),
	FIELD(process_counters, net_sent_bytes), FIELD(process_counters, net_received_bytes),
	FIELD(process_counters, net_send_calls), FIELD(process_counters, net_receive_calls),
	FIELD(process_counters, run_queue_wait_ns), FIELD(process_counters, has_command), FIELD(process_counters, execs),
	FIELD(process_exit_record, start_ns), FIELD(process_exit_record, exit_ns), FIELD(process_exit_record, cgroup_id),
	FIELD(process_exit_record, totals), FIELD(process_exit_record, pid), FIELD(process_exit_record, ppid),
	FIELD(process_exit_record, uid), FIELD(process_exit_record, exit_code), FIELD(process_exit_record, in_table),
	FIELD(process_exit_record, command_length), FIELD(process_exit_record, comm), FIELD(process_exit_record, command),
	FIELD(process_lifecycle_totals, exits), FIELD(process_lifecycle_totals, dropped_records),
	FIELD(process_lifecycle_totals, command_map_full),
	FIELD(memory_event_totals, user_faults), FIELD(memory_event_totals, reclaim_stalls),
	FIELD(memory_event_totals, reclaim_ns), FIELD(memory_event_totals, reclaim_untracked),
	FIELD(memory_event_totals, process_map_full),
	FIELD(oom_victim, time_ns), FIELD(oom_victim, pid), FIELD(oom_victim, uid), FIELD(oom_victim, comm),
	FIELD(disk_device_counters, read_requests), FIELD(disk_device_counters, write_requests),
	FIELD(disk_device_counters, other_requests), FIELD(disk_device_counters, read_bytes),
	FIELD(disk_device_counters, write_bytes), FIELD(disk_device_counters, latency),
	FIELD(network_interface_counters, rx_bytes), FIELD(network_interface_counters, rx_packets),
	FIELD(network_interface_counters, tx_bytes), FIELD(network_interface_counters, tx_packets),
};

const size_t smoothtask_field_layout_count = sizeof(smoothtask_field_layouts) / sizeof(smoothtask_field_layouts[0]);

const struct smoothtask_field_layout *smoothtask_field_layouts_pointer(void)
{
	return smoothtask_field_layouts;
}
