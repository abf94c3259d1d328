// SPDX-License-Identifier: GPL-2.0
/*
 * spawner threads N | processes N | churn N | execs RATE SECONDS
 *   threads N    N threads that each wake once a second, so all of them run in every collection window
 *   processes N  the same with N child processes (one per-process map entry each)
 *   churn N      N short-lived processes, one after another, then exits: pids that were seen once
 *   execs R S    fork+exec of /bin/true paced at R a second for S seconds (as a build spawns
 *                compilers), then prints {"processes":N,"seconds":S,"cpu_ns":children's CPU}
 * For threads and processes, prints "ready" once all are running and keeps them until stdin closes.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Small stacks: 10,000 threads at the default 8 MiB would reserve 80 GiB of address space. */
#define THREAD_STACK_BYTES (64 * 1024)

static void *wake_every_second(void *unused)
{
	(void)unused;
	for (;;)
		sleep(1);
	return NULL;
}

static double now_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec + now.tv_nsec / 1e9;
}

/* fork+exec /bin/true `rate` times a second for `seconds`, reaping as it goes. */
static int exec_storm(double rate, double seconds)
{
	double start = now_seconds();
	long started = 0;
	while (now_seconds() - start < seconds) {
		double due = start + started / rate;
		double wait = due - now_seconds();
		if (wait > 0)
			usleep((useconds_t)(wait * 1e6));
		pid_t child = fork();
		if (child == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (child > 0)
			started++;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	struct rusage children;
	getrusage(RUSAGE_CHILDREN, &children);
	long long cpu_ns = (children.ru_utime.tv_sec + children.ru_stime.tv_sec) * 1000000000LL
		+ (children.ru_utime.tv_usec + children.ru_stime.tv_usec) * 1000LL;
	printf("{\"processes\":%ld,\"seconds\":%.3f,\"cpu_ns\":%lld}\n", started, now_seconds() - start, cpu_ns);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "execs") == 0)
		return exec_storm(atof(argv[2]), atof(argv[3]));
	if (argc != 3) {
		fprintf(stderr, "usage: %s threads|processes|churn N | execs RATE SECONDS\n", argv[0]);
		return 64;
	}
	long count = atol(argv[2]);
	if (strcmp(argv[1], "churn") == 0) {
		for (long i = 0; i < count; i++) {
			pid_t child = fork();
			if (child == 0)
				_exit(0);
			waitpid(child, NULL, 0);
		}
		return 0;
	}
	int processes = strcmp(argv[1], "processes") == 0;
	pthread_attr_t attributes;
	pthread_attr_init(&attributes);
	pthread_attr_setstacksize(&attributes, THREAD_STACK_BYTES);
	for (long i = 0; i < count; i++) {
		if (processes) {
			if (fork() == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the bench */
				wake_every_second(NULL);
			}
		} else {
			pthread_t thread;
			if (pthread_create(&thread, &attributes, wake_every_second, NULL)) {
				fprintf(stderr, "spawner: thread %ld: cannot create\n", i);
				return 1;
			}
		}
	}
	printf("ready\n");
	fflush(stdout);
	char byte;
	while (read(0, &byte, 1) > 0)
		;
	return 0; /* children die with us: PR_SET_PDEATHSIG */
}
