/// The configuration switch of each metric area, and the one table of what the rest of the code
/// derives from it: its wire key in `config.get`/`config.set` and the configuration file, its
/// default, the ``EbpfMetrics/sources`` key its figures are listed under, and the reason reported
/// while it is off.
///
/// ``EbpfConfig`` and ``EbpfConfigPatch`` encode, decode and apply every case by iterating
/// ``allCases``, and the collectors' programs name their case (`MetricProgram.metricSwitch`), so a
/// new area adds a case here and nothing in the configuration types.
public enum MetricSwitch: String, CaseIterable, Sendable {
    /// The `sched_switch` CPU accounting program (`cpu_metrics`).
    case cpu = "enable_cpu_metrics"
    /// System memory figures and the memory events program (`memory_events`).
    case memory = "enable_memory_metrics"
    /// The syscall counting programs (`syscalls`).
    case syscalls = "enable_syscall_monitoring"
    /// The run-queue latency program (`sched_latency`).
    case schedLatency = "enable_sched_latency"
    /// The block I/O program (`disk_metrics`).
    case disk = "enable_disk_metrics"
    /// The network program (`network_metrics`).
    case network = "enable_network_metrics"
    /// The per-cgroup CPU program (`cgroup_cpu`): `cgroups.top` and per-unit Prometheus series.
    case cgroups = "enable_cgroup_metrics"

    /// The key in the configuration, e.g. `enable_disk_metrics`.
    public var configKey: String { rawValue }

    /// What a fresh daemon starts with: everything on. Run-queue latency costs 1.2-1.5x what the
    /// CPU accounting does on every context switch, plus its wakeups (~0.2 µs per switch and
    /// ~0.15 µs per wakeup on a loaded 2-CPU machine, bench `--only events`), since its wakeup times
    /// live in task-local storage;
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
