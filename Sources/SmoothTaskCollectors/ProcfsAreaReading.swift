import SmoothTaskModel

/// The /proc side of a metric area: read every collection while the area is switched on, whether
/// its eBPF program runs or not, so the daemon reports CPU and memory without eBPF too.
protocol ProcfsAreaReading {
    /// Starts reading, taking the baseline of the first window now: made when the area is switched
    /// on (and when the collector is created), so the first collection already has a figure.
    init()

    /// Puts the area's /proc figures into `collection`, after the eBPF side.
    /// - Parameters:
    ///   - ebpfMissing: why the eBPF side gave no figures this collection; `nil` when it did.
    ///   - procfs: the machine-wide /proc files as this collection read them, once for every reader.
    mutating func collect(into collection: inout MetricsCollection, ebpfMissing: String?, procfs: ProcfsTick)

    /// Puts its cumulative counters, as of the latest collection, into `readings`.
    func addCounters(to readings: inout CounterReadings)
}

extension ProcfsAreaReading {
    func addCounters(to readings: inout CounterReadings) {}
}
