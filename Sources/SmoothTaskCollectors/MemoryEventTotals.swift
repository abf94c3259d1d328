/// Swift mirror of `struct memory_event_totals` in bpf/memory_events.h: one CPU's counts. A test
/// compares its size with the C struct's.
struct MemoryEventTotals: BitwiseCopyable, Equatable {
    /// Page faults taken in user mode.
    var userFaults: UInt64 = 0
    /// Reclaim passes (direct or cgroup) finished.
    var reclaimStalls: UInt64 = 0
    /// Nanoseconds spent in them.
    var reclaimNanoseconds: UInt64 = 0
    /// Reclaim passes whose start could not be recorded.
    var reclaimUntracked: UInt64 = 0
    /// Per-process inserts refused because `process_memory` was full.
    var processMapFull: UInt64 = 0

    /// The CPUs' counts added up.
    static func sum(_ perCPU: [MemoryEventTotals]) -> MemoryEventTotals {
        perCPU.reduce(into: MemoryEventTotals()) { sum, cpu in
            sum.userFaults &+= cpu.userFaults
            sum.reclaimStalls &+= cpu.reclaimStalls
            sum.reclaimNanoseconds &+= cpu.reclaimNanoseconds
            sum.reclaimUntracked &+= cpu.reclaimUntracked
            sum.processMapFull &+= cpu.processMapFull
        }
    }
}
