import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// The loaded program of one optional metric area (run-queue latency, disk, network) and the
/// baseline it computes its windows from; ``MetricArea`` switches it and reports it.
protocol MetricAreaReader: AnyObject {
    /// What one collection produces, e.g. ``SchedLatencyMetrics``.
    associatedtype Output

    /// The object's name, as in `bpf/`.
    static var name: String { get }
    /// The key of ``EbpfMetrics/sources`` and ``EbpfMetrics/unavailable`` for the area.
    static var metricName: String { get }
    /// The configuration switch's wire name, e.g. `enable_disk_metrics`.
    static var switchName: String { get }
    /// The configuration switch.
    static var enabled: KeyPath<EbpfConfig, Bool> { get }
    /// Where its output goes in a collection.
    static var output: WritableKeyPath<EbpfMetrics, Output?> { get }

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(logger: Logger) throws(BPFError)

    /// The object's programs.
    var group: TracepointProgramGroup { get }

    /// Attaches the programs and starts a window at this moment.
    func attach() throws(BPFError)

    /// The window since the previous collection (or since ``attach()``), which starts the next one.
    func collect() throws(BPFError) -> Output
}
