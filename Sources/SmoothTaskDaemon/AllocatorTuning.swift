import CAllocatorTuning

/// What the daemon does to keep its resident memory at what it uses (issue 17: RSS at most 30 MiB at
/// start and after any burst of clients).
///
/// glibc's arena count and mmap threshold are set before `main` (allocator_tuning.c, so before any
/// thread exists). This gives back what glibc and the kernel would otherwise keep counted against it.
enum AllocatorTuning {
    /// Returns the free pages of every malloc arena to the kernel (`malloc_trim(0)`): glibc gives back
    /// only the top of the main heap on its own, so a burst of connections left ~70 MiB of freed
    /// but still resident heap (measured: 120 MiB anonymous after two 1,000-connection bursts, 11 MiB
    /// after a trim).
    static func trim() {
        _ = smoothtask_trim()
    }

    /// Bytes malloc holds free in all its arenas (`mallinfo2().fordblks`); 0 without glibc.
    static func freeHeapBytes() -> Int {
        smoothtask_free_heap_bytes()
    }

}
