/// Swift mirror of `struct process_memory_events` in bpf/memory_events.h: one process's counts. A
/// test compares its size with the C struct's.
struct ProcessMemoryEvents: BitwiseCopyable, Equatable {
    /// Page faults taken in user mode.
    var userFaults: UInt64 = 0
    /// Reclaim passes its threads stalled in.
    var reclaimStalls: UInt64 = 0
    /// Nanoseconds its threads stalled in reclaim.
    var reclaimNanoseconds: UInt64 = 0
}
