// SPDX-License-Identifier: GPL-2.0
/*
 * rpc_bench SOCKET CLIENTS REQUESTS METHOD: CLIENTS threads, each on its own connection, send
 * REQUESTS framed JSON-RPC requests for METHOD one after another and time each round trip. Prints
 * "<p50 us> <p99 us> <requests per second>" over all round trips.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include "frame_io.h"

static const char *socket_path;
static const char *method;
static long requests;
static double *latencies_us;

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void *client(void *argument)
{
	long index = (long)argument;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	strncpy(address.sun_path, socket_path, sizeof address.sun_path - 1);
	if (connect(fd, (struct sockaddr *)&address, sizeof address)) {
		perror("rpc_bench: connect");
		exit(69);
	}
	char request[256];
	int length = snprintf(request, sizeof request, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":{}}", method);
	char *reply = NULL;
	size_t capacity = 0;
	for (long i = 0; i < requests; i++) {
		double start = now_us();
		if (write_frame(fd, request, (size_t)length) || read_frame(fd, &reply, &capacity) < 0) {
			fprintf(stderr, "rpc_bench: connection lost\n");
			exit(69);
		}
		latencies_us[index * requests + i] = now_us() - start;
	}
	free(reply);
	close(fd);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s SOCKET CLIENTS REQUESTS METHOD\n", argv[0]);
		return 64;
	}
	socket_path = argv[1];
	long clients = atol(argv[2]);
	requests = atol(argv[3]);
	method = argv[4];
	latencies_us = calloc((size_t)(clients * requests), sizeof *latencies_us);
	pthread_t *threads = calloc((size_t)clients, sizeof *threads);
	double start = now_us();
	for (long i = 0; i < clients; i++)
		pthread_create(&threads[i], NULL, client, (void *)i);
	for (long i = 0; i < clients; i++)
		pthread_join(threads[i], NULL);
	double elapsed_s = (now_us() - start) / 1e6;
	long total = clients * requests;
	qsort(latencies_us, (size_t)total, sizeof *latencies_us, by_value);
	printf("%.1f %.1f %.0f\n", latencies_us[total / 2], latencies_us[total * 99 / 100], total / elapsed_s);
	return 0;
}
