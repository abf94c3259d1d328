/// A set of related ``EbpfMetrics`` fields a `metrics.subscribe` caller can ask for.
public enum MetricGroup: String, Codable, CaseIterable, Sendable {
    /// `cpu_usage`, `cpu_per_core` and `system` (CPU time split, load, switches, interrupts, tasks).
    case cpu
    /// `memory_usage`, `memory_total` and the `memory` details.
    case memory
    /// `syscall_count`, `syscall_rate` and the `syscalls` details.
    case syscalls
    /// `top_processes`.
    case processes
    /// `sched_latency`, the run-queue latency histogram.
    case schedLatency = "sched_latency"
    /// `disk`, block I/O per device and process.
    case disk
    /// `network`, bytes and packets per interface and process.
    case network

    /// The ``EbpfMetrics`` wire keys this group carries.
    public var metricKeys: [String] {
        let keys: [EbpfMetrics.CodingKeys] = switch self {
        case .cpu: [.cpuUsage, .cpuPerCore, .system]
        case .memory: [.memoryUsage, .memoryTotal, .memory]
        case .syscalls: [.syscallCount, .syscallRate, .syscalls]
        case .processes: [.topProcesses]
        case .schedLatency: [.schedLatency]
        case .disk: [.disk]
        case .network: [.network]
        }
        return keys.map(\.stringValue)
    }

    /// The configuration switch whose area this group's figures come from.
    public var metricSwitch: MetricSwitch {
        switch self {
        case .cpu, .processes: .cpu
        case .memory: .memory
        case .syscalls: .syscalls
        case .schedLatency: .schedLatency
        case .disk: .disk
        case .network: .network
        }
    }

    /// The name this group's figures are listed under in ``EbpfMetrics/sources`` and ``EbpfMetrics/unavailable``.
    public var sourceName: String {
        metricSwitch.sourceName ?? metricSwitch.configKey
    }
}
