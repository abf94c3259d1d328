// SPDX-License-Identifier: GPL-2.0
/*
 * process_lifecycle: what every process did, kept when it exits.
 *
 * - sched_process_exec keeps the first PROCESS_COMMAND_BYTES of the new program's argv, so even a
 *   process that lives a millisecond is known by its command line.
 * - sched_process_exit, when the last thread of a process leaves, reads the process's entry in the
 *   process table (process_table.h: CPU time, syscalls, faults and reclaim, disk and network bytes,
 *   run-queue waits, each counted by its own object), sends it with its identity and exit status to
 *   userspace in one ring buffer record, and deletes it: the one exit program for all objects, so
 *   the table holds live processes only and nothing a process did is lost when it exits between two
 *   collections.
 *
 * The running slice of the exiting thread (what it ran since its switch-in) is not in the table
 * yet, since the final switch-out comes after this tracepoint: it is charged here. What the thread
 * still does after this point (closing files, notifying its parent, the last switch) re-creates its
 * entry; the daemon adds it to the exited process and deletes them (ProcessLedger).
 *
 * Why tracepoints (tp_btf): the kernel's stable ABI; kprobes and fentry are not available on the
 * kernels we target, and tp_btf needs no tracefs (CAP_BPF + CAP_PERFMON). The ring buffer needs 5.8.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "process_lifecycle.h"
#include "process_maps.h"
#include "process_exit.h"

char LICENSE[] SEC("license") = "GPL";

/* The ___lifecycle suffix keeps these apart from core_types.h's task_struct (CO-RE drops it). */
struct kuid___lifecycle { __u32 val; } __attribute__((preserve_access_index));
struct cred___lifecycle { struct kuid___lifecycle euid; } __attribute__((preserve_access_index));
struct mm_struct___lifecycle {
	unsigned long arg_start;
	unsigned long arg_end;
} __attribute__((preserve_access_index));
struct task_struct___lifecycle {
	int tgid;
	char comm[16];
	int exit_code;
	__u64 start_boottime;
	struct task_struct___lifecycle *group_leader;
	struct task_struct___lifecycle *real_parent;
	struct cred___lifecycle *cred; /* const in the kernel; never written here */
	struct mm_struct___lifecycle *mm;
} __attribute__((preserve_access_index));

CPU_ACCOUNTING_MAP;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PROCESS_LIFECYCLE_MAX_COMMANDS);
	__type(key, __u32); /* tgid */
	__type(value, struct process_command);
} process_commands SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PROCESS_LIFECYCLE_RING_BYTES);
} exits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct process_lifecycle_totals);
} lifecycle_totals SEC(".maps");

/* Ring buffer records have no map value type: this puts struct process_exit_record into the
 * object's BTF, where StructLayoutTests compares it with Swift's view (as libbpf-tools do). */
const struct process_exit_record *unused_exit_record __attribute__((unused));

static struct process_lifecycle_totals *cpu_totals(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&lifecycle_totals, &zero);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(record_exec, struct task_struct *task, int old_pid, void *bprm)
{
	/* task is tp_btf's BTF pointer: its fields and those it points to are plain loads, not a
	 * bpf_probe_read_kernel() call each (BPF_CORE_READ), on both programs. */
	struct task_struct___lifecycle *process = (void *)task;
	__u32 tgid = daemon_tgid(task, process->tgid);
	if (tgid == 0) /* outside the daemon's pid namespace: no row to name */
		return 0;
	struct mm_struct___lifecycle *mm = process->mm;
	unsigned long start = mm->arg_start;
	unsigned long end = mm->arg_end;
	struct process_command command = {};
	__u32 length = end > start ? end - start : 0;
	if (length > PROCESS_COMMAND_BYTES)
		length = PROCESS_COMMAND_BYTES;
	if (bpf_probe_read_user(command.bytes, length, (void *)start) == 0)
		command.length = length;
	long kept = bpf_map_update_elem(&process_commands, &tgid, &command, BPF_ANY);
	if (kept != 0) {
		struct process_lifecycle_totals *totals = cpu_totals();
		if (totals)
			totals->command_map_full++;
	}
	struct process_counters *entry = process_entry(tgid);
	if (!entry)
		return 0;
	__sync_fetch_and_add(&entry->execs, 1);
	/* So the exit looks the command line up only for processes that have one. */
	if (kept == 0)
		entry->has_command = 1;
	return 0;
}

/*
 * What the exiting thread ran on its task clock (se.sum_exec_runtime, as cpu_metrics charges
 * processes) since it was switched in, taken from the CPU's slot so its final switch-out charges
 * only the rest. The task clock is brought up to date at ticks and switches only, so the rest can
 * be a few ms: the leftover the daemon adds to the exited process. The CPU's busy time and the
 * slot's interval are left alone: the final switch-out closes them, at most that interval charged.
 */
static __always_inline __u64 charge_running_slice(struct task_struct *task, __u32 tgid)
{
	__u32 zero = 0;
	struct cpu_switch_accounting *cpu = bpf_map_lookup_elem(&cpu_accounting, &zero);
	/* Not the thread seen switched in: its final switch-out charges the interval instead. */
	if (!cpu || cpu->last_switch_ns == 0 || cpu->running_tgid != tgid || cpu->running_pid != task->pid)
		return 0;
	__u64 runtime = task->se.sum_exec_runtime;
	if (runtime <= cpu->running_start_runtime_ns)
		return 0;
	__u64 ran = runtime - cpu->running_start_runtime_ns;
	cpu->running_start_runtime_ns = runtime;
	return ran;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(record_exit, struct task_struct *task)
{
	/* Two threads of one process exiting at once can both see the group dead: userspace merges
	 * their records (same pid and start time), taking each total's larger value. */
	if (!process_group_is_dead(task))
		return 0;
	struct process_lifecycle_totals *totals = cpu_totals();
	if (!totals)
		return 0;
	totals->exits++;

	struct task_struct___lifecycle *process = (void *)task;
	__u32 tgid = daemon_tgid(task, process->tgid);
	__u64 running_slice = charge_running_slice(task, tgid);
	/* Outside the daemon's pid namespace: counted in exits, but no record the daemon could name
	 * (and no entry: process_entry() keeps none for 0). */
	if (tgid == 0)
		return 0;

	struct process_counters *entry = bpf_map_lookup_elem(&process_table, &tgid);
	struct process_exit_record *record = bpf_ringbuf_reserve(&exits, sizeof(*record), 0);
	if (!record) {
		totals->dropped_records++;
	} else {
		/* Every field is written (the counters zeroed without an entry) but the command bytes past
		 * command_length and the comm past its NUL, which userspace does not read: no memset. */
		record->pid = tgid;
		struct task_struct___lifecycle *leader = process->group_leader;
		record->start_ns = leader->start_boottime;
		record->exit_ns = bpf_ktime_get_boot_ns();
		record->cgroup_id = bpf_get_current_cgroup_id();
		/* 0 when the parent is outside the daemon's pid namespace, as /proc shows it there. */
		struct task_struct___lifecycle *parent = process->real_parent;
		record->ppid = daemon_tgid(parent, parent->tgid);
		record->uid = process->cred->euid.val;
		record->exit_code = process->exit_code;
		/* The process's name is its leader's: the last thread to exit may carry a thread name. */
		__builtin_memcpy(record->comm, leader->comm, sizeof(record->comm));
		record->command_length = 0;
		if (entry) {
			record->totals = *entry;
			record->in_table = 1;
		} else {
			__builtin_memset(&record->totals, 0, sizeof(record->totals));
			record->in_table = 0;
		}
		record->totals.cpu_ns += running_slice;
		if (entry && entry->has_command) {
			struct process_command *command = bpf_map_lookup_elem(&process_commands, &tgid);
			if (command) {
				__u32 length = command->length;
				if (length > PROCESS_COMMAND_BYTES)
					length = PROCESS_COMMAND_BYTES;
				record->command_length = length;
				__builtin_memcpy(record->command, command->bytes, PROCESS_COMMAND_BYTES);
			}
			bpf_map_delete_elem(&process_commands, &tgid);
		}
		/* Wake the daemon only when the buffer is half full: it drains on a timer otherwise, so a
		 * storm of exits costs no wakeup per process. */
		__u64 queued = bpf_ringbuf_query(&exits, BPF_RB_AVAIL_DATA);
		bpf_ringbuf_submit(record, queued > PROCESS_LIFECYCLE_RING_BYTES / 2 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	}
	if (entry)
		bpf_map_delete_elem(&process_table, &tgid);
	return 0;
}
