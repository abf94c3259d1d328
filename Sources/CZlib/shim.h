// zlib, for the history store's compressed blobs (the same library libbpf already links).
#include <zlib.h>
