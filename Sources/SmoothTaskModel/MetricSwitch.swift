/// The configuration switch of each metric area, and the one table of what the rest of the code
/// derives from it: its wire key in `config.get`/`config.set` and the configuration file, its
/// default, the ``EbpfMetrics/sources`` key its figures are listed under, and the reason reported
/// while it is off.
///
/// ``EbpfConfig`` and ``EbpfConfigPatch`` encode, decode and apply every case by iterating
/// ``allCases``, and the collectors' programs name their case (`MetricProgram.metricSwitch`), so a
/// new area adds a case here and nothing in the configuration types.
public enum MetricSwitch: String, CaseIterable, Sendable {
    /// CPU accounting (`cpu_metrics`), a part of the one `sched_switch` program.
    case cpu = "enable_cpu_metrics"
    /// System memory figures and the memory events program (`memory_events`).
    case memory = "enable_memory_metrics"
    /// The syscall counting programs (`syscalls`).
    case syscalls = "enable_syscall_monitoring"
    /// Run-queue latency (`sched_latency`): its part of the `sched_switch` program and its wakeup programs.
    case schedLatency = "enable_sched_latency"
    /// The block I/O program (`disk_metrics`).
    case disk = "enable_disk_metrics"
    /// The network program (`network_metrics`).
    case network = "enable_network_metrics"
    /// Per-cgroup CPU accounting (`cgroup_cpu`), a part of the `sched_switch` program: `cgroups.top` and per-unit Prometheus series.
    case cgroups = "enable_cgroup_metrics"

    /// The key in the configuration, e.g. `enable_disk_metrics`.
    public var configKey: String { rawValue }

    /// What a fresh daemon starts with: everything on. Run-queue latency adds ~0.04 µs per context
    /// switch to the one sched_switch program plus ~0.09 µs per wakeup (a loaded 2-CPU machine,
    /// BENCHMARKS.md), about what CPU accounting alone costs;
    /// disk (~1.5 µs per I/O request) and network (~0.1 µs per socket call or packet) are cheap next
    /// to the work they measure.
    public var defaultValue: Bool { true }

    /// The key of ``EbpfMetrics/sources`` and ``EbpfMetrics/unavailable`` the area's figures are
    /// listed under; `nil` for cgroups, which `cgroups.top` reports on its own.
    public var sourceName: String? {
        switch self {
        case .cpu: EbpfMetrics.Name.cpu
        case .memory: EbpfMetrics.Name.memory
        case .syscalls: EbpfMetrics.Name.syscalls
        case .schedLatency: EbpfMetrics.Name.schedLatency
        case .disk: EbpfMetrics.Name.disk
        case .network: EbpfMetrics.Name.network
        case .cgroups: nil
        }
    }

    /// What `unavailable` and `status` say while the switch is off.
    public var disabledReason: String { "disabled by \(rawValue)=false" }
}
