import CAllocatorTuning

/// glibc malloc settings that keep the daemon's memory from staying high after a burst.
///
/// By default glibc raises its mmap threshold each time a large block is freed, after which 1 MiB
/// request frames come from the heap and their pages are kept after a burst of large frames; a fixed
/// threshold keeps every such buffer mmapped, so it goes back to the kernel when freed. Two arenas
/// instead of eight per core stop each thread that touches malloc from keeping its own.
enum AllocatorTuning {
    /// Buffers at least this large are mmapped and returned when freed.
    static let mmapThresholdBytes: Int32 = 128 << 10
    /// malloc arenas at most.
    static let maxArenas: Int32 = 2

    /// Applies both settings; call before the daemon starts its threads.
    static func apply() {
        _ = smoothtask_set_mmap_threshold(mmapThresholdBytes)
        _ = smoothtask_set_arena_max(maxArenas)
    }
}
