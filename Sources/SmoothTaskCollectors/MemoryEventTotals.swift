import CSmoothTaskBPFTypes

/// One CPU's counts of the `memory_totals` map: `struct memory_event_totals` of
/// bpf/memory_events.h, imported from the header the program is compiled with.
typealias MemoryEventTotals = memory_event_totals

extension MemoryEventTotals {
    /// The CPUs' counts added up.
    static func sum(_ perCPU: [MemoryEventTotals]) -> MemoryEventTotals {
        perCPU.reduce(into: MemoryEventTotals()) { sum, cpu in
            sum.user_faults &+= cpu.user_faults
            sum.reclaim_stalls &+= cpu.reclaim_stalls
            sum.reclaim_ns &+= cpu.reclaim_ns
            sum.reclaim_untracked &+= cpu.reclaim_untracked
            sum.process_map_full &+= cpu.process_map_full
        }
    }
}
