import SmoothTaskModel

/// The /proc side of an area measured by eBPF only: nothing.
struct NoProcfsReading: ProcfsAreaReading {
    mutating func collect(into collection: inout MetricsCollection, ebpfMissing: String?, procfs: ProcfsTick) {}
}
