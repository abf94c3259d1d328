#include <stdio.h>
#include "number_format.h"

/* The conversion comes from the client's own format strings, never from input. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

int smoothtask_format_double(char *buffer, size_t size, const char *conversion, double value)
{
	return snprintf(buffer, size, conversion, value);
}

int smoothtask_format_signed(char *buffer, size_t size, const char *conversion, long long value)
{
	return snprintf(buffer, size, conversion, value);
}

int smoothtask_format_unsigned(char *buffer, size_t size, const char *conversion, unsigned long long value)
{
	return snprintf(buffer, size, conversion, value);
}
