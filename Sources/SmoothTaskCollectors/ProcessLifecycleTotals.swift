import CSmoothTaskBPFTypes

/// One CPU's exit and exec counts: `struct process_lifecycle_totals` of bpf/process_lifecycle.h.
typealias ProcessLifecycleTotals = process_lifecycle_totals

extension ProcessLifecycleTotals {
    /// The counts of all CPUs together.
    static func sum(_ perCPU: [ProcessLifecycleTotals]) -> ProcessLifecycleTotals {
        perCPU.reduce(into: ProcessLifecycleTotals()) { sum, cpu in
            sum.exits += cpu.exits
            sum.dropped_records += cpu.dropped_records
            sum.command_map_full += cpu.command_map_full
        }
    }
}
