import SmoothTaskModel

/// The /proc side of a metric area: read every collection while the area is switched on, whether
/// its eBPF program runs or not, so the daemon reports CPU and memory without eBPF too.
protocol ProcfsAreaReading {
    /// Starts reading, taking the baseline of the first window now: made when the area is switched
    /// on (and when the collector is created), so the first collection already has a figure.
    init()

    /// Reads now and puts the area's /proc figures into `collection`, after the eBPF side.
    /// - Parameter ebpfMissing: why the eBPF side gave no figures this collection; `nil` when it did.
    mutating func collect(into collection: inout MetricsCollection, ebpfMissing: String?)

    /// Puts its cumulative counters, as of the latest collection, into `readings`.
    func addCounters(to readings: inout CounterReadings)
}

extension ProcfsAreaReading {
    func addCounters(to readings: inout CounterReadings) {}
}
