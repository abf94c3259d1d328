/// The methods of protocol v1.
public enum Method: String, CaseIterable, Sendable {
    /// Version, configuration, latest metrics and eBPF state in one reply.
    case status
    /// The latest ``EbpfMetrics``.
    case metricsGet = "metrics.get"
    /// The configuration in force.
    case configGet = "config.get"
    /// Changes any subset of the configuration; replies with the new configuration.
    case configSet = "config.set"
    /// The daemon's own view of what eBPF needs: its capabilities, limits, libraries and programs.
    case diagnostics

    /// Callable only by uid 0 or members of the admin group; every other method is read-only.
    public var isPrivileged: Bool { self == .configSet }
}
