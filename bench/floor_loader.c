// SPDX-License-Identifier: GPL-2.0
/*
 * floor_loader OBJECT TRACEPOINT...: loads OBJECT (floor.bpf.o) once per raw tracepoint and attaches
 * its counting program there; prints "<tracepoint> <prog id>" per line, then "ready", and keeps
 * them attached until stdin closes.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s OBJECT TRACEPOINT...\n", argv[0]);
		return 64;
	}
	for (int i = 2; i < argc; i++) {
		struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
		if (!object || bpf_object__load(object)) {
			fprintf(stderr, "floor_loader: cannot load %s\n", argv[1]);
			return 1;
		}
		struct bpf_program *program = bpf_object__find_program_by_name(object, "count_event");
		if (!program || !bpf_program__attach_raw_tracepoint(program, argv[i])) {
			fprintf(stderr, "floor_loader: cannot attach to %s\n", argv[i]);
			return 1;
		}
		struct bpf_prog_info info = {0};
		__u32 length = sizeof info;
		bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &length);
		printf("%s %u\n", argv[i], info.id);
	}
	printf("ready\n");
	fflush(stdout);
	char byte;
	while (read(0, &byte, 1) > 0)
		;
	return 0;
}
