import SmoothTaskModel

/// One optional metric area with its own eBPF object and configuration switch, as the collector
/// drives it: switched with the configuration, collected into each ``EbpfMetrics``, reported in
/// `status`. ``MetricArea`` is the implementation.
protocol EbpfMetricArea: AnyObject {
    /// Attaches the area's programs if `config` switches it on, detaches them if off.
    func apply(config: EbpfConfig)
    /// Adds the area's window to `metrics`, or says in `sources`/`unavailable` why it has none.
    func collect(into metrics: inout EbpfMetrics)
    /// The area's program: attached, or why not.
    var status: ProgramStatus { get }
    /// Detaches the programs for good.
    func shutdown()
}
