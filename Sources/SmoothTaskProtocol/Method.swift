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
    /// The processes active in the latest interval, live and exited in it, with their CPU, syscalls,
    /// page faults and reclaim stalls over the interval and their lifetime totals, sorted, filtered and
    /// limited by a ``ProcessTopQuery``; replies with a ``ProcessTop``.
    case processesTop = "processes.top"
    /// Recently exited processes with their lifetime totals and exit status, sorted, filtered and
    /// limited by an ``ExitedProcessesQuery``; replies with ``ExitedProcesses``.
    case processesExited = "processes.exited"
    /// The daemon's own CPU and memory and each eBPF program's kernel time (``DaemonOverhead``).
    case overhead
    /// The methods this daemon serves and the protocol version; see ``DiscoveryResult``.
    case rpcDiscover = "rpc.discover"
    /// Starts pushing `metrics.update` notifications on this connection; see ``SubscribeParams``.
    case metricsSubscribe = "metrics.subscribe"
    /// Stops this connection's `metrics.update` notifications.
    case metricsUnsubscribe = "metrics.unsubscribe"
    /// CPU per cgroup or systemd unit over the latest window (``CgroupsTopParams`` -> ``CgroupsReport``).
    case cgroupsTop = "cgroups.top"
    /// The daemon's own view of what eBPF needs: its capabilities, limits, libraries and programs.
    case diagnostics
    /// The history store: oldest and newest collection held, how many, bytes, retention (``HistoryInfo``).
    case historyInfo = "history.info"
    /// The metric families `GET /metrics` serves, as typed JSON built from the same input (``MetricFamilies``
    /// in SmoothTaskExposition), for exporters that speak another format (the OTLP bridge).
    case metricsFamilies = "metrics.families"

    /// Callable only by uid 0 or members of the admin group; every other method is read-only.
    public var isPrivileged: Bool { self == .configSet }
}
