import SmoothTaskModel

/// One optional metric area whose program's whole output is one ``EbpfMetrics`` field (run-queue,
/// disk, network), as the collector drives it: switched with the configuration, collected into each
/// ``EbpfMetrics``. ``MetricArea`` is the implementation.
protocol EbpfMetricArea: AnyProgramSlot {
    /// Attaches the area's programs if `config` switches it on, detaches them if off.
    func apply(config: EbpfConfig)
    /// Adds the area's window to `metrics`, or says in `sources`/`unavailable` why it has none.
    func collect(into metrics: inout EbpfMetrics)
    /// The per-process figures its program counts while attached, `nil` if none or detached.
    var countingArea: ProcessCountingArea? { get }
}
