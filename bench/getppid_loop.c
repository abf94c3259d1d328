// SPDX-License-Identifier: GPL-2.0
/*
 * getppid_loop CALLS ROUNDS: makes CALLS getppid syscalls ROUNDS times and prints the fastest
 * round's nanoseconds per call (the fastest is the one least disturbed by other work on the machine).
 * Timed on this thread's CPU clock, user + system, so time spent preempted by other work is not counted.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 1000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	double best = 1e18;
	for (int round = 0; round < rounds; round++) {
		double start = now_ns();
		for (long i = 0; i < calls; i++)
			syscall(SYS_getppid); /* not glibc's getppid(), so nothing can be cached */
		double per_call = (now_ns() - start) / calls;
		if (per_call < best)
			best = per_call;
	}
	printf("%.1f\n", best);
	return 0;
}
