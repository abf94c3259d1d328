#ifndef SMOOTHTASK_NUMBER_FORMAT_H
#define SMOOTHTASK_NUMBER_FORMAT_H

#include <stddef.h>

/* snprintf of one number through one conversion (`%5.1f`, `%02lld`, `%llu`: the conversion alone,
   no other text), for smoothtaskctl's String(printf:). Swift reaches vsnprintf only through a
   va_list built from CVarArg values, and each first CVarArg of a type costs a dynamic cast that
   scans every protocol conformance record in the client (~5,400): ~0.9 million instructions of a
   `status` run went there. These take the number as a plain C argument instead. Each returns what
   snprintf returns. */
int smoothtask_format_double(char *buffer, size_t size, const char *conversion, double value);
int smoothtask_format_signed(char *buffer, size_t size, const char *conversion, long long value);
int smoothtask_format_unsigned(char *buffer, size_t size, const char *conversion, unsigned long long value);

#endif
