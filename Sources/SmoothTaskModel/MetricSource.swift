/// Where a metric's value came from.
public enum MetricSource: String, Codable, Sendable, Equatable {
    /// Counted by one of SmoothTask's eBPF programs.
    case ebpf
    /// Read from /proc, either because that is the metric's natural source (memory) or as a fallback.
    case procfs
    /// Switched off in the configuration.
    case disabled
    /// Wanted but cannot be measured here; `EbpfMetrics.unavailable` says why.
    case unavailable
}
