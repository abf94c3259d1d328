/*
 * libbpf for Swift: its public headers plus the one piece Swift cannot write, the print callback,
 * which receives a C va_list. It formats each message here and hands the finished line to a plain
 * function pointer that Swift sets (SmoothTaskBPF's LibBPFLog routes it to a swift-log Logger).
 *
 * The sink lives in a static inside a static inline function (Swift's importer emits function
 * bodies but not file-scope statics), so every Swift module that calls these functions gets its own
 * copy: only SmoothTaskBPF may call them.
 */
#ifndef SMOOTHTASK_CLIBBPF_SHIM_H
#define SMOOTHTASK_CLIBBPF_SHIM_H

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Receives one formatted libbpf message; level is an enum libbpf_print_level. */
typedef void (*smoothtask_libbpf_line_sink)(int level, const char *line);

static inline smoothtask_libbpf_line_sink *smoothtask_libbpf_sink_slot(void)
{
	static smoothtask_libbpf_line_sink sink;
	return &sink;
}

/* libbpf's verifier dumps run to many KiB; longer messages are cut, which the log line shows. */
#define SMOOTHTASK_LIBBPF_LINE_BYTES 4096

static int smoothtask_libbpf_print(enum libbpf_print_level level, const char *format, va_list args)
{
	char line[SMOOTHTASK_LIBBPF_LINE_BYTES];
	smoothtask_libbpf_line_sink sink = *smoothtask_libbpf_sink_slot();
	if (sink == NULL)
		return 0;
	int length = vsnprintf(line, sizeof line, format, args);
	if (length > 0 && (size_t)length < sizeof line && line[length - 1] == '\n')
		line[length - 1] = '\0';
	sink((int)level, line);
	return 0;
}

/* Routes libbpf's messages to sink, or silences libbpf when sink is NULL. */
static inline void smoothtask_libbpf_set_line_sink(smoothtask_libbpf_line_sink sink)
{
	*smoothtask_libbpf_sink_slot() = sink;
	libbpf_set_print(sink != NULL ? smoothtask_libbpf_print : NULL);
}

#endif
