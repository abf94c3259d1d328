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

    /// Unmaps the resident pages of the executable's code (start-up code, relocation and symbol
    /// tables read once by the loader: ~20 MiB of the 22 MiB of text of a static build), leaving
    /// what runs afterwards to fault back in from the page cache; returns the bytes of mappings
    /// released, `nil` when /proc/self/maps could not be read. Call once, after start-up.
    @discardableResult
    static func releaseStartUpPages() -> Int? {
        let released = smoothtask_release_executable_pages()
        return released < 0 ? nil : released
    }
}
