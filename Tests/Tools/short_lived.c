/*
 * short_lived: a storm of short-lived processes of known size, the ground truth for issue 13's
 * "nothing that ran is lost" tests. Builds with `cc -O2 short_lived.c`, no dependencies.
 *
 *   short_lived storm N SYSCALLS [PARALLEL]
 *       forks N children (no exec), at most PARALLEL alive at once (default 16). Child i names itself
 *       "stshort", burns 1-5 ms of CPU, makes exactly SYSCALLS getppid calls, sleeps until it is
 *       2-50 ms old and exits 0. Lifetimes and burns vary deterministically with i.
 *   short_lived exec N SYSCALLS [PARALLEL]
 *       the same, but each child execs this program (`short_lived child SYSCALLS MS`), so its name
 *       comes from exec (comm "short_lived"). The dynamic loader's syscalls are not known exactly,
 *       so only the getppid calls are reported (known_getppid), as a lower bound.
 *   short_lived child SYSCALLS MS
 *       one child of exec mode: burns 1-5 ms, SYSCALLS getppid, lives MS ms from main, exits 0.
 *
 * When the storm is over, the parent prints ONE JSON line on stdout:
 *   {"mode":"storm","children":[pid,...],"comm":"stshort","syscalls_per_child":K,
 *    "known_syscalls":N*K,"known_getppid":N*SYSCALLS,"children_cpu_ns":...,"start_ms":...,"end_ms":...,
 *    "parallel":P,"lifetime_ms_min":2,"lifetime_ms_max":50}
 * children_cpu_ns is getrusage(RUSAGE_CHILDREN) utime+stime of the parent after reaping every
 * child; start_ms is CLOCK_REALTIME just before the first fork and end_ms just after the last reap.
 *
 * Syscalls of a storm child, counted from its return from fork (the kernel's sys_enter for each):
 *   prctl(PR_SET_NAME)          1
 *   getppid                     SYSCALLS
 *   clock_nanosleep             1   (absolute deadline, so exactly one call; nothing signals the child)
 *   exit_group                  1   (_exit)
 * so K = SYSCALLS + 3 (STORM_FIXED_SYSCALLS). SmoothTask counts syscalls as they return
 * (sys_exit) and sees the same K per child: its return from clone in place of exit_group, which
 * never returns. Children are made with the raw clone syscall (exactly
 * what fork does in the kernel: clone with SIGCHLD, nothing shared) rather than glibc's fork(), whose
 * child re-registers its robust futex list with set_robust_list: one syscall more that depends on
 * the libc, not on this program. The CPU burn reads CLOCK_MONOTONIC through the vDSO, which makes no
 * syscall while the clocksource is vDSO-capable (tsc, kvm-clock, hyperv); were it not, strace would
 * show clock_gettime in the children, which is why LoadToolTests checks each child's count with
 * strace -ff.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Syscalls a storm child makes besides its getppid calls: prctl, clock_nanosleep, exit_group. */
#define STORM_FIXED_SYSCALLS 3
/* Children alive at once by default: lifetimes average 26 ms, so 16 at a time fit 500 children in
 * about 1 s of wall time while at most 2 of them burn CPU at any moment on 2 cores. */
#define DEFAULT_PARALLEL 16
/* Bounds of the deterministic lifetimes and CPU burns, in ms (issue 13: "each living 2-50 ms"). */
#define LIFETIME_MS_MIN 2
#define LIFETIME_MS_MAX 50
#define BURN_MS_MIN 1
#define BURN_MS_MAX 5
/* The comm a storm child sets; at most 15 bytes (TASK_COMM_LEN - 1). */
#define STORM_COMM "stshort"
/* Largest N accepted: the pid list is kept in memory and printed on one line. */
#define MAX_CHILDREN 1000000

static long long monotonic_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now); /* vDSO: no syscall */
	return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static long long realtime_ms(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (long long)now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

/* Lifetime of child i in ms, spread over 2...50 by a stride coprime with the range's 49 values. */
static int lifetime_ms(long i)
{
	return LIFETIME_MS_MIN + (int)((i * 37) % (LIFETIME_MS_MAX - LIFETIME_MS_MIN + 1));
}

/* CPU burn in ms for a child living `lifetime` ms: 1...5, and always 1 ms short of its lifetime. */
static int burn_ms(int lifetime)
{
	int burn = BURN_MS_MIN + lifetime % (BURN_MS_MAX - BURN_MS_MIN + 1);
	return burn < lifetime ? burn : lifetime - 1;
}

/* Spins for `ms` of wall time without a syscall. Under contention it burns less CPU than `ms`;
 * the parent's RUSAGE_CHILDREN says what was really burned. */
static void burn(long long start_ns, int ms)
{
	volatile unsigned long sink = 0;
	long long until = start_ns + (long long)ms * 1000000LL;
	while (monotonic_ns() < until) {
		for (int k = 0; k < 1000; k++)
			sink += (unsigned long)k * 2654435761UL;
	}
}

/* The body shared by storm children and exec children: burn, SYSCALLS getppid, sleep, exit. */
static void work_and_exit(long long start_ns, long syscalls, int lifetime)
{
	burn(start_ns, burn_ms(lifetime));
	for (long k = 0; k < syscalls; k++)
		syscall(SYS_getppid);
	long long deadline = start_ns + (long long)lifetime * 1000000LL;
	struct timespec until = { .tv_sec = deadline / 1000000000LL, .tv_nsec = deadline % 1000000000LL };
	/* Direct syscall: glibc's wrapper would be one call too, but this states the count. */
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	_exit(0);
}

static long parse_count(const char *text, const char *what, long max)
{
	char *end = NULL;
	errno = 0;
	long value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < 0 || value > max) {
		fprintf(stderr, "short_lived: %s must be an integer 0...%ld, got '%s'\n", what, max, text);
		exit(2);
	}
	return value;
}

static void usage(void)
{
	fprintf(stderr, "usage: short_lived storm N SYSCALLS [PARALLEL]\n"
			"       short_lived exec N SYSCALLS [PARALLEL]\n"
			"       short_lived child SYSCALLS MS\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "child") == 0) {
		if (argc != 4)
			usage();
		long long start = monotonic_ns();
		long syscalls = parse_count(argv[2], "SYSCALLS", 1000000000L);
		int ms = (int)parse_count(argv[3], "MS", 60000);
		work_and_exit(start, syscalls, ms < 2 ? 2 : ms);
	}
	int exec_mode = strcmp(argv[1], "exec") == 0;
	if ((!exec_mode && strcmp(argv[1], "storm") != 0) || argc < 4 || argc > 5)
		usage();
	long n = parse_count(argv[2], "N", MAX_CHILDREN);
	long syscalls = parse_count(argv[3], "SYSCALLS", 1000000000L);
	long parallel = argc == 5 ? parse_count(argv[4], "PARALLEL", 4096) : DEFAULT_PARALLEL;
	if (parallel < 1)
		parallel = 1;

	char self[4096];
	ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (length < 0) {
		perror("short_lived: readlink /proc/self/exe");
		return 1;
	}
	self[length] = '\0';

	pid_t *children = calloc((size_t)(n > 0 ? n : 1), sizeof(pid_t));
	if (!children) {
		perror("short_lived: calloc");
		return 1;
	}
	/* Everything a child needs is formatted before the storm, so a child only does its own work. */
	char syscalls_text[32];
	snprintf(syscalls_text, sizeof(syscalls_text), "%ld", syscalls);
	fflush(stdout);

	long long start_ms = realtime_ms();
	long started = 0, running = 0, failed = 0;
	while (started < n || running > 0) {
		if (started < n && running < parallel) {
			int lifetime = lifetime_ms(started);
			/* fork without glibc's child-side bookkeeping (see the top of this file). The
			 * child touches no glibc state that the raw clone leaves stale (its cached tid). */
			pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
			if (pid < 0) {
				perror("short_lived: clone");
				failed++;
				n = started; /* stop starting, reap what runs */
				continue;
			}
			if (pid == 0) {
				long long child_start = monotonic_ns();
				if (exec_mode) {
					char ms_text[16];
					snprintf(ms_text, sizeof(ms_text), "%d", lifetime);
					char *child_argv[] = { self, "child", syscalls_text, ms_text, NULL };
					execv(self, child_argv);
					_exit(127);
				}
				prctl(PR_SET_NAME, STORM_COMM, 0, 0, 0);
				work_and_exit(child_start, syscalls, lifetime);
			}
			children[started++] = pid;
			running++;
			continue;
		}
		int status = 0;
		pid_t done = waitpid(-1, &status, 0);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			perror("short_lived: waitpid");
			return 1;
		}
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "short_lived: child %d ended with status 0x%x\n", (int)done, status);
			failed++;
		}
	}
	long long end_ms = realtime_ms();

	struct rusage usage;
	getrusage(RUSAGE_CHILDREN, &usage);
	long long children_cpu_ns = ((long long)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL +
				    ((long long)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;

	printf("{\"mode\":\"%s\",\"children\":[", exec_mode ? "exec" : "storm");
	for (long i = 0; i < started; i++)
		printf(i ? ",%d" : "%d", (int)children[i]);
	if (exec_mode)
		printf("],\"comm\":\"short_lived\",\"syscalls_per_child\":null,\"known_syscalls\":null,");
	else
		printf("],\"comm\":\"" STORM_COMM "\",\"syscalls_per_child\":%ld,\"known_syscalls\":%ld,",
		       syscalls + STORM_FIXED_SYSCALLS, started * (syscalls + STORM_FIXED_SYSCALLS));
	printf("\"known_getppid\":%ld,\"children_cpu_ns\":%lld,\"start_ms\":%lld,\"end_ms\":%lld,"
	       "\"parallel\":%ld,\"lifetime_ms_min\":%d,\"lifetime_ms_max\":%d}\n",
	       started * syscalls, children_cpu_ns, start_ms, end_ms, parallel, LIFETIME_MS_MIN, LIFETIME_MS_MAX);
	fflush(stdout);
	free(children);
	return failed ? 1 : 0;
}
