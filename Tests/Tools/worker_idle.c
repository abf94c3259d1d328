/*
 * worker_idle: a process that does a known amount of work and then goes idle, the ground truth for
 * issue 13's "a process that worked and then went idle" tests. Builds with `cc -O2 worker_idle.c`.
 *
 *   worker_idle [--cpu-ms MS] [--syscalls K] [--odirect PATH [--bytes N]] [--send-loopback BYTES] [--ready]
 *
 *   --cpu-ms MS           spin MS ms of wall time without a syscall (CLOCK_MONOTONIC via the vDSO)
 *   --syscalls K          make K getppid calls
 *   --odirect PATH        write N bytes (default 64 MiB, a multiple of 4096) to PATH with O_DIRECT in
 *                         1 MiB aligned blocks, fsync, close and unlink it (use a disk-backed file
 *                         system: tmpfs moves no block I/O, so write_bytes would stay 0)
 *   --send-loopback BYTES fork a receiver child, send it BYTES over TCP on 127.0.0.1, and wait until it
 *                         has read them all (it reports its count back through a pipe)
 *   --ready               before working, print {"ready":true,"pid":P} and wait for one line on stdin,
 *                         so a test can read its counters for this process while it is blocked there
 *
 * Then it prints ONE JSON line on stdout (written with one write(2), so it is never left in a buffer):
 *   {"pid":P,"receiver_pid":R|null,"comm":"worker_idle","marker":"getpid","syscalls_made":S,
 *    "getppid_calls":K,"cpu_ns":C,"rusage_cpu_ns":U,"clock_ticks_per_s":T,"written_bytes":W,
 *    "sent_bytes":B,"received_bytes":B}
 * and blocks reading stdin. When stdin reaches end of file (the test closes it) both it and the
 * receiver exit 0. Send no data on stdin: each read that returns data is one more syscall.
 *
 * syscalls_made is exact: every syscall this process (the sender, not the receiver) enters from the
 * marker on, through the read(0) in which it idles, counted at its call site (COUNTED below):
 *   getpid (the marker, the first counted call; with --ready it comes right after the ready read
 *   returns), K getppid, then with --odirect openat + one write per block (more if the kernel
 *   wrote short) + fsync + close + unlink, with --send-loopback pipe + socket + bind + listen +
 *   getsockname + clone + close x2 + socket + connect + the writes + shutdown + the pipe reads +
 *   close x2, then openat + read + close of /proc/self/stat, getrusage, the write of the JSON line
 *   and the read(0) that idles (made, though the daemon, counting syscalls as they return, sees
 *   it only once stdin closes). Not included: everything before the marker (the loader, libc start-up, argument
 *   parsing, buffer allocation, the ready line) and after stdin closes (wait4, exit_group).
 * The loops use raw clone and no stdio after the marker, so no libc wrapper adds hidden calls;
 * LoadToolTests checks the count against strace -ff.
 *
 * cpu_ns is utime+stime from /proc/self/stat (clock ticks -> ns) read just before the JSON line;
 * rusage_cpu_ns is getrusage(RUSAGE_SELF) utime+stime at the same point.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Block size of the O_DIRECT writes and the TCP sends (issue 13: "1 MiB aligned blocks"). */
#define BLOCK_BYTES (1 << 20)
/* O_DIRECT needs buffer, offset and length aligned to the logical block size; 4096 covers every
 * common device. */
#define DIRECT_ALIGN 4096
#define DEFAULT_ODIRECT_BYTES (64LL << 20)

/* Syscalls made since the marker; every call after it goes through COUNTED. */
static long long made;
#define COUNTED(call) (made++, (call))

static void fail(const char *what)
{
	/* After the marker a failure ends the run, so the count no longer matters. */
	fprintf(stderr, "worker_idle: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long monotonic_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now); /* vDSO: no syscall */
	return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void burn(long long ms)
{
	volatile unsigned long sink = 0;
	long long until = monotonic_ns() + ms * 1000000LL;
	while (monotonic_ns() < until) {
		for (int k = 0; k < 1000; k++)
			sink += (unsigned long)k * 2654435761UL;
	}
}

static long long parse_count(const char *text, const char *what)
{
	char *end = NULL;
	errno = 0;
	long long value = text ? strtoll(text, &end, 10) : -1;
	if (!text || errno != 0 || end == text || *end != '\0' || value < 0) {
		fprintf(stderr, "worker_idle: %s needs a non-negative integer, got '%s'\n", what, text ? text : "");
		exit(2);
	}
	return value;
}

/* Writes the whole of [buffer, length) to fd, counting each call. */
static long long write_all(int fd, const char *buffer, long long length, const char *what)
{
	long long done = 0;
	while (done < length) {
		ssize_t n = COUNTED(write(fd, buffer + done, (size_t)(length - done)));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(what);
		}
		done += n;
	}
	return done;
}

static long long odirect_write(const char *path, long long bytes, char *block)
{
	int fd = COUNTED(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600));
	if (fd < 0)
		fail("open --odirect PATH with O_DIRECT (is it on a file system that supports it?)");
	long long written = 0;
	while (written < bytes) {
		long long chunk = bytes - written < BLOCK_BYTES ? bytes - written : BLOCK_BYTES;
		ssize_t n = COUNTED(write(fd, block, (size_t)chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("O_DIRECT write");
		}
		/* A short O_DIRECT write leaves the next offset unaligned; say so rather than go on. */
		if (n % DIRECT_ALIGN != 0) {
			errno = EIO;
			fail("O_DIRECT write ended unaligned");
		}
		written += n;
	}
	if (COUNTED(fsync(fd)) != 0)
		fail("fsync");
	COUNTED(close(fd));
	if (COUNTED(unlink(path)) != 0)
		fail("unlink");
	return written;
}

/* The receiver child: reads the connection to its end, reports the count through `report`, then
 * waits for stdin to close like its parent. Its syscalls are not in syscalls_made. */
static void receive_and_idle(int listener, int report, char *buffer)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* never outlive the sender */
	int connection = accept(listener, NULL, NULL);
	if (connection < 0)
		fail("accept");
	int64_t received = 0;
	for (;;) {
		ssize_t n = read(connection, buffer, BLOCK_BYTES);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("receiver read");
		if (n == 0)
			break;
		received += n;
	}
	close(connection);
	if (write(report, &received, sizeof(received)) != (ssize_t)sizeof(received))
		fail("receiver report");
	close(report);
	char scratch[256];
	for (;;) {
		ssize_t n = read(STDIN_FILENO, scratch, sizeof(scratch));
		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	_exit(0);
}

/* Sends `bytes` to a receiver child it forks over 127.0.0.1; returns the receiver's pid and sets
 * `sent` and `received`. */
static pid_t loopback_send(long long bytes, char *buffer, long long *sent, long long *received)
{
	int report[2];
	if (COUNTED(pipe(report)) != 0)
		fail("pipe");
	int listener = COUNTED(socket(AF_INET, SOCK_STREAM, 0));
	if (listener < 0)
		fail("socket");
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (COUNTED(bind(listener, (struct sockaddr *)&address, sizeof(address))) != 0)
		fail("bind 127.0.0.1:0");
	if (COUNTED(listen(listener, 1)) != 0)
		fail("listen");
	socklen_t length = sizeof(address);
	if (COUNTED(getsockname(listener, (struct sockaddr *)&address, &length)) != 0)
		fail("getsockname");
	/* Raw clone, like fork() without glibc's atfork bookkeeping, so it is exactly one syscall. */
	pid_t receiver = (pid_t)COUNTED(syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0));
	if (receiver < 0)
		fail("clone");
	if (receiver == 0) {
		close(report[0]);
		receive_and_idle(listener, report[1], buffer);
	}
	COUNTED(close(listener));
	COUNTED(close(report[1]));
	int connection = COUNTED(socket(AF_INET, SOCK_STREAM, 0));
	if (connection < 0)
		fail("socket");
	if (COUNTED(connect(connection, (struct sockaddr *)&address, sizeof(address))) != 0)
		fail("connect");
	long long done = 0;
	while (done < bytes) {
		long long chunk = bytes - done < BLOCK_BYTES ? bytes - done : BLOCK_BYTES;
		done += write_all(connection, buffer, chunk, "send");
	}
	if (COUNTED(shutdown(connection, SHUT_WR)) != 0)
		fail("shutdown");
	int64_t count = 0;
	size_t have = 0;
	while (have < sizeof(count)) {
		ssize_t n = COUNTED(read(report[0], (char *)&count + have, sizeof(count) - have));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("reading the receiver's count (did it fail?)");
		have += (size_t)n;
	}
	COUNTED(close(connection));
	COUNTED(close(report[0]));
	*sent = done;
	*received = count;
	return receiver;
}

/* utime+stime of /proc/self/stat in clock ticks, read with three counted syscalls. */
static long long stat_ticks(void)
{
	char text[2048];
	int fd = COUNTED(open("/proc/self/stat", O_RDONLY));
	if (fd < 0)
		fail("open /proc/self/stat");
	ssize_t n = COUNTED(read(fd, text, sizeof(text) - 1));
	COUNTED(close(fd));
	if (n <= 0)
		fail("read /proc/self/stat");
	text[n] = '\0';
	/* Fields after the comm, which may hold spaces and ')': state is field 3, utime 14, stime 15. */
	char *field = strrchr(text, ')');
	if (!field)
		fail("parse /proc/self/stat");
	unsigned long long utime = 0, stime = 0;
	if (sscanf(field + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
		fail("parse /proc/self/stat");
	return (long long)(utime + stime);
}

int main(int argc, char **argv)
{
	long long cpu_ms = 0, syscalls = 0, odirect_bytes = DEFAULT_ODIRECT_BYTES, loopback_bytes = -1;
	const char *odirect_path = NULL;
	int ready = 0;
	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--cpu-ms") == 0)
			cpu_ms = parse_count(value, "--cpu-ms"), i++;
		else if (strcmp(argv[i], "--syscalls") == 0)
			syscalls = parse_count(value, "--syscalls"), i++;
		else if (strcmp(argv[i], "--odirect") == 0 && value)
			odirect_path = value, i++;
		else if (strcmp(argv[i], "--bytes") == 0)
			odirect_bytes = parse_count(value, "--bytes"), i++;
		else if (strcmp(argv[i], "--send-loopback") == 0)
			loopback_bytes = parse_count(value, "--send-loopback"), i++;
		else if (strcmp(argv[i], "--ready") == 0)
			ready = 1;
		else {
			fprintf(stderr, "usage: worker_idle [--cpu-ms MS] [--syscalls K] [--odirect PATH [--bytes N]]"
					" [--send-loopback BYTES] [--ready]\n");
			return 2;
		}
	}
	if (odirect_bytes % DIRECT_ALIGN != 0) {
		fprintf(stderr, "worker_idle: --bytes must be a multiple of %d for O_DIRECT\n", DIRECT_ALIGN);
		return 2;
	}
	long ticks_per_s = sysconf(_SC_CLK_TCK); /* from the auxiliary vector: no syscall */
	char *block = NULL;
	if (posix_memalign((void **)&block, DIRECT_ALIGN, BLOCK_BYTES) != 0) {
		fprintf(stderr, "worker_idle: cannot allocate a %d-byte aligned buffer\n", BLOCK_BYTES);
		return 1;
	}
	memset(block, 0x5a, BLOCK_BYTES);

	if (ready) {
		char line[128];
		int length = snprintf(line, sizeof(line), "{\"ready\":true,\"pid\":%d}\n", (int)getpid());
		if (write(STDOUT_FILENO, line, (size_t)length) != length)
			fail("write ready line");
		char scratch[256];
		if (read(STDIN_FILENO, scratch, sizeof(scratch)) <= 0)
			return 0; /* stdin closed before the start signal: nothing to do */
	}

	/* The marker: the first counted syscall. */
	pid_t self = (pid_t)COUNTED(syscall(SYS_getpid));

	burn(cpu_ms);
	for (long long k = 0; k < syscalls; k++)
		COUNTED(syscall(SYS_getppid));
	long long written = 0, sent = 0, received = 0;
	if (odirect_path)
		written = odirect_write(odirect_path, odirect_bytes, block);
	pid_t receiver = 0;
	if (loopback_bytes >= 0)
		receiver = loopback_send(loopback_bytes, block, &sent, &received);

	long long ticks = stat_ticks();
	struct rusage usage;
	COUNTED(getrusage(RUSAGE_SELF, &usage));
	long long rusage_ns = ((long long)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL +
			      ((long long)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;

	/* Two calls still to come before idling: the write of this line and the read(0) that idles. */
	long long reported = made + 2;
	char line[1024];
	char receiver_text[16] = "null";
	if (receiver > 0)
		snprintf(receiver_text, sizeof(receiver_text), "%d", (int)receiver);
	int length = snprintf(line, sizeof(line),
			      "{\"pid\":%d,\"receiver_pid\":%s,\"comm\":\"worker_idle\",\"marker\":\"getpid\","
			      "\"syscalls_made\":%lld,\"getppid_calls\":%lld,\"cpu_ns\":%lld,\"rusage_cpu_ns\":%lld,"
			      "\"clock_ticks_per_s\":%ld,\"written_bytes\":%lld,\"sent_bytes\":%lld,\"received_bytes\":%lld}\n",
			      (int)self, receiver_text, reported, syscalls, ticks * (1000000000LL / ticks_per_s), rusage_ns,
			      ticks_per_s, written, sent, received);
	/* One write: a pipe takes up to PIPE_BUF (4096) bytes atomically, and the line is shorter. */
	if (COUNTED(write(STDOUT_FILENO, line, (size_t)length)) != length)
		fail("write the JSON line in one call");

	char scratch[256];
	for (;;) {
		ssize_t n = COUNTED(read(STDIN_FILENO, scratch, sizeof(scratch)));
		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	if (receiver > 0)
		waitpid(receiver, NULL, 0);
	return 0;
}
