// SPDX-License-Identifier: GPL-2.0
/* The protocol's framing, 4-byte big-endian length + payload, for rpc_bench and pingpong_server. */
#ifndef BENCH_FRAME_IO_H
#define BENCH_FRAME_IO_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads or writes exactly count bytes; returns 0, or -1 on error or end of stream. */
static int transfer_all(int fd, void *buffer, size_t count, int writing)
{
	char *cursor = buffer;
	while (count > 0) {
		ssize_t done = writing ? write(fd, cursor, count) : read(fd, cursor, count);
		if (done <= 0)
			return -1;
		cursor += done;
		count -= (size_t)done;
	}
	return 0;
}

/* Reads one frame into *payload (grown as needed); returns its length, or -1. */
static long read_frame(int fd, char **payload, size_t *capacity)
{
	uint32_t header;
	if (transfer_all(fd, &header, 4, 0))
		return -1;
	size_t length = ntohl(header);
	if (length > *capacity) {
		*payload = realloc(*payload, length);
		*capacity = length;
	}
	if (length > 0 && transfer_all(fd, *payload, length, 0))
		return -1;
	return (long)length;
}

/* Writes header and payload in one write, as the daemon's NIO pipeline does. */
static int write_frame(int fd, const char *payload, size_t length)
{
	char *frame = malloc(length + 4);
	uint32_t header = htonl((uint32_t)length);
	memcpy(frame, &header, 4);
	memcpy(frame + 4, payload, length);
	int result = transfer_all(fd, frame, length + 4, 1);
	free(frame);
	return result;
}

#endif
