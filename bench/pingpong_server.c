// SPDX-License-Identifier: GPL-2.0
/*
 * pingpong_server SOCKET REPLY_FILE: the floor for a round trip. Serves SOCKET with one thread per
 * connection; answers every frame with the bytes of REPLY_FILE (a real metrics.get reply) as one
 * frame, doing no other work. Prints "ready" once listening.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "frame_io.h"

static char *reply;
static size_t reply_length;

static void *serve(void *argument)
{
	int fd = (int)(long)argument;
	char *request = NULL;
	size_t capacity = 0;
	while (read_frame(fd, &request, &capacity) >= 0 && write_frame(fd, reply, reply_length) == 0)
		;
	free(request);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s SOCKET REPLY_FILE\n", argv[0]);
		return 64;
	}
	FILE *file = fopen(argv[2], "rb");
	if (!file) {
		perror("pingpong_server: reply file");
		return 66;
	}
	reply = malloc(1 << 20);
	reply_length = fread(reply, 1, 1 << 20, file);
	fclose(file);

	int listener = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
	unlink(argv[1]);
	if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 256)) {
		perror("pingpong_server: bind");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int fd = accept(listener, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_t thread;
		pthread_create(&thread, NULL, serve, (void *)(long)fd);
		pthread_detach(thread);
	}
}
