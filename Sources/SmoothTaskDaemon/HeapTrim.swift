import CAllocatorTuning

/// Trims the malloc heap once it holds more than ``freeBytesLimit`` free, checked once per collection.
///
/// A burst of clients (a thousand connections, each with its channel, buffers and task) frees its
/// memory when it ends, but glibc gives back only the top of the main heap on its own (measured: 70
/// MiB still resident after a 1,000-connection burst, 11 MiB after `malloc_trim(0)`); trimming when
/// that much lies free gives it back within one interval of the burst, and costs one `mallinfo2`
/// walk of the arenas' bins while memory is steady. glibc's arena count and mmap threshold are set
/// before `main` (allocator_tuning.c, so before any thread exists).
enum HeapTrim {
    /// Free heap that triggers a trim, 4 MiB: above what a collection's own allocations leave free,
    /// far below a burst's.
    static let freeBytesLimit = 4 << 20

    /// Trims when the heap holds more than ``freeBytesLimit`` free.
    static func check() {
        guard smoothtask_free_heap_bytes() > freeBytesLimit else { return }
        _ = smoothtask_trim()
    }
}
