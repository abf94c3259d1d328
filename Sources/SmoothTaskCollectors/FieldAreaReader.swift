import SmoothTaskBPF
import SmoothTaskModel

/// A ``MetricAreaReader`` whose whole output is one ``EbpfMetrics`` field (run-queue latency, disk,
/// network): it only says what a window is and where it goes.
protocol FieldAreaReader: MetricAreaReader {
    /// What one collection produces, e.g. ``SchedLatencyMetrics``.
    associatedtype Output

    /// Where its output goes in a collection.
    static var output: WritableKeyPath<EbpfMetrics, Output?> { get }

    /// The window since the previous collection (or since ``attach()``), which starts the next one.
    func collect() throws(BPFError) -> Output
}

extension FieldAreaReader {
    func collect(into collection: inout MetricsCollection, processes: ProcessCountersReading?) throws(BPFError) {
        collection.metrics[keyPath: Self.output] = try collect()
    }
}
