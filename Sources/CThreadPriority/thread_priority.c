/*
 * setpriority(2) for smoothtaskd, in place of glibc's wrapper.
 *
 * Why: on Linux, libdispatch imitates quality of service with nice values. Every worker thread
 * of a global queue calls setpriority(PRIO_PROCESS, 0, nice) for its queue's class as it starts,
 * and logs "Failed to set thread priority for worker thread: pqc=... errno=13" to syslog (the
 * journal) when that fails. Its manager thread, which runs every Dispatch timer and source (each
 * Task.sleep, the SIGTERM/SIGHUP sources), is the user-interactive overcommit root queue, so it
 * asks for nice -4; a thread of a utility queue (nice 2) that starts another worker hands it
 * nice 2, and that worker asks for 0. Lowering a nice value needs CAP_SYS_NICE or RLIMIT_NICE
 * above 20 - nice, and smoothtaskd as shipped has neither (User=smoothtask, only CAP_BPF and
 * CAP_PERFMON, systemd's default LimitNICE=0), so the kernel answers EACCES at every start.
 *
 * The unit could grant LimitNICE=-4, but that lets the daemon raise its threads above the
 * workloads it measures, and where PID 1 lacks CAP_SYS_RESOURCE (containers) systemd silently
 * clamps it to 0 anyway. smoothtaskd does not depend on thread priorities, so it keeps its
 * threads where they are: a request to raise its own thread's priority that the kernel refuses
 * for want of privilege leaves the nice value unchanged and reports success. Everything else
 * (lowering priority, other threads or processes, other errors, a seccomp refusal) is passed
 * through exactly.
 *
 * A definition in the executable takes precedence over glibc's for every caller: the statically
 * linked libdispatch of a release build resolves to it at link time, the shared one of a debug
 * build through the executable's dynamic symbol table.
 */
#include "thread_priority.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>


int setpriority(__priority_which_t which, id_t who, int prio) {
    long result = syscall(SYS_setpriority, (int)which, who, prio);
    if (result == 0 || errno != EACCES || which != PRIO_PROCESS || who != 0) {
        return (int)result;
    }
    /* EACCES for the calling thread: a lower nice value than it has, without the privilege. */
    return 0;
}
