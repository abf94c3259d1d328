import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// A ``MetricProgram`` whose whole output is one ``EbpfMetrics`` field (run-queue latency, disk,
/// network) and which keeps the baseline it computes its windows from; ``MetricArea`` drives it.
protocol MetricAreaReader: MetricProgram {
    /// What one collection produces, e.g. ``SchedLatencyMetrics``.
    associatedtype Output

    /// The per-process figures it counts into the shared per-process maps (bpf/process_maps.h).
    static var countingArea: ProcessCountingArea { get }

    /// Where its output goes in a collection.
    static var output: WritableKeyPath<EbpfMetrics, Output?> { get }

    /// The window since the previous collection (or since ``attach()``), which starts the next one.
    func collect() throws(BPFError) -> Output
}

extension MetricAreaReader {
    /// The key of ``EbpfMetrics/sources`` and ``EbpfMetrics/unavailable`` for the area, from its switch.
    static var metricName: String { metricSwitch.sourceName ?? metricSwitch.configKey }
}
