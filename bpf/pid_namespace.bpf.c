// SPDX-License-Identifier: GPL-2.0
/*
 * pid_namespace: the level of the daemon's pid namespace, for the other objects' pid_namespace_level
 * knob (pid_namespace.h). Userspace cannot learn it inside a container: /proc shows nothing above
 * the container's namespace, and NS_GET_PARENT is refused there. The daemon loads this object and
 * runs its program once with BPF_PROG_TEST_RUN on its own thread, so `current` is the daemon; it
 * is never attached.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "pid_namespace.h"

char LICENSE[] SEC("license") = "GPL";

/* Returned when the namespace of the calling thread is not the one pid_namespace_inode names. */
#define PID_NAMESPACE_NOT_FOUND 0xffffffff

SEC("raw_tp")
int find_pid_namespace_level(void *ctx)
{
	struct task_struct___pidns *task = (void *)bpf_get_current_task();
	struct pid___pidns *pid = BPF_CORE_READ(task, thread_pid);
	/* A task's own (active) namespace is the deepest of its pid's numbers. */
	__u32 level = BPF_CORE_READ(pid, level);
	struct upid___pidns number = {};
	if (!pid || bpf_core_read(&number, sizeof(number), &pid->numbers[level]) != 0)
		return PID_NAMESPACE_NOT_FOUND;
	return BPF_CORE_READ(number.ns, ns.inum) == pid_namespace_inode ? level : PID_NAMESPACE_NOT_FOUND;
}
