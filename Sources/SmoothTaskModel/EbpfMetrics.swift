/// One collection's results: the seed's `EbpfMetrics`, with the window it covers and where each figure came from.
///
/// A metric that is switched off or cannot be measured is `nil` (JSON `null`) and ``unavailable`` says
/// why; it is never a zero that looks real.
public struct EbpfMetrics: Codable, Sendable, Equatable {
    /// Percent of all CPUs busy over the last interval, 0...100.
    public var cpuUsage: Double?
    /// Percent busy of each CPU over the last interval, 0...100, indexed by CPU number.
    public var cpuPerCore: [Double]?
    /// Bytes of memory in use system-wide: MemTotal - MemAvailable from /proc/meminfo.
    public var memoryUsage: UInt64?
    /// Bytes of memory installed: MemTotal from /proc/meminfo.
    public var memoryTotal: UInt64?
    /// Syscalls that returned, system-wide, since the syscall program was attached (monotonic).
    public var syscallCount: UInt64?
    /// Syscalls per second over the last interval.
    public var syscallRate: Double?
    /// The processes that used the most CPU over the last interval, busiest first (at most ``topProcessLimit``).
    public var topProcesses: [ProcessCPUUsage]?
    /// Syscall details (per syscall, per process, failures); `nil` with the reason in ``unavailable``.
    public var syscalls: SyscallMetrics?
    /// Memory details (system figures, faults, reclaim, OOM kills); `nil` with the reason in ``unavailable``.
    public var memory: MemoryMetrics?
    /// Unix epoch milliseconds at which this collection was taken.
    public var timestamp: Int64
    /// Milliseconds covered by the rates and percentages (the time since the previous collection).
    public var windowMilliseconds: Int64
    /// Run-queue latency over the last interval (`enable_sched_latency`).
    public var schedLatency: SchedLatencyMetrics? = nil
    /// Block I/O over the last interval (`enable_disk_metrics`).
    public var disk: DiskMetrics? = nil
    /// Network traffic over the last interval (`enable_network_metrics`).
    public var network: NetworkMetrics? = nil
    /// The vmstat/pmstat basics (CPU time split, load average, context switches and interrupts per
    /// second, runnable and blocked tasks), each with its source; absent from collections recorded
    /// by, and answers of, daemons that predate it.
    public var system: SystemActivity? = nil
    /// Where each metric came from, keyed by metric name (`cpu_usage`, `memory_usage`, `syscall_count`).
    public var sources: [String: MetricSource]
    /// Why each `nil` metric is missing, keyed by metric name.
    public var unavailable: [String: String]
    /// `true` when this collection comes from the history (`metrics.get {"at"}`); absent on live answers.
    public var recorded: Bool? = nil

    /// How many processes ``topProcesses`` holds at most.
    public static let topProcessLimit = 5

    /// Creates a collection result.
    public init(
        cpuUsage: Double? = nil,
        cpuPerCore: [Double]? = nil,
        memoryUsage: UInt64? = nil,
        memoryTotal: UInt64? = nil,
        syscallCount: UInt64? = nil,
        syscallRate: Double? = nil,
        topProcesses: [ProcessCPUUsage]? = nil,
        timestamp: Int64,
        windowMilliseconds: Int64,
        sources: [String: MetricSource] = [:],
        unavailable: [String: String] = [:]
    ) {
        self.cpuUsage = cpuUsage
        self.cpuPerCore = cpuPerCore
        self.memoryUsage = memoryUsage
        self.memoryTotal = memoryTotal
        self.syscallCount = syscallCount
        self.syscallRate = syscallRate
        self.topProcesses = topProcesses
        self.syscalls = nil
        self.memory = nil
        self.timestamp = timestamp
        self.windowMilliseconds = windowMilliseconds
        self.sources = sources
        self.unavailable = unavailable
    }

    enum CodingKeys: String, CodingKey {
        case cpuUsage = "cpu_usage"
        case cpuPerCore = "cpu_per_core"
        case memoryUsage = "memory_usage"
        case memoryTotal = "memory_total"
        case syscallCount = "syscall_count"
        case syscallRate = "syscall_rate"
        case topProcesses = "top_processes"
        case syscalls, memory
        case timestamp
        case windowMilliseconds = "window_ms"
        case sources
        case unavailable
        case schedLatency = "sched_latency"
        case disk
        case network
        case system
        case recorded
    }

    // Absent metrics are written as explicit `null` so a reader sees the key and, beside it, the reason.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cpuUsage, forKey: .cpuUsage)
        try container.encode(cpuPerCore, forKey: .cpuPerCore)
        try container.encode(memoryUsage, forKey: .memoryUsage)
        try container.encode(memoryTotal, forKey: .memoryTotal)
        try container.encode(syscallCount, forKey: .syscallCount)
        try container.encode(syscallRate, forKey: .syscallRate)
        try container.encode(topProcesses, forKey: .topProcesses)
        try container.encode(syscalls, forKey: .syscalls)
        try container.encode(memory, forKey: .memory)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(windowMilliseconds, forKey: .windowMilliseconds)
        try container.encode(sources, forKey: .sources)
        try container.encode(unavailable, forKey: .unavailable)
        try container.encode(schedLatency, forKey: .schedLatency)
        try container.encode(disk, forKey: .disk)
        try container.encode(network, forKey: .network)
        try container.encodeIfPresent(system, forKey: .system)
        try container.encodeIfPresent(recorded, forKey: .recorded)
    }
}

extension EbpfMetrics {
    /// Metric names used as keys of ``sources`` and ``unavailable``.
    public enum Name {
        /// `cpu_usage`, `cpu_per_core` and `top_processes`.
        public static let cpu = "cpu_usage"
        /// `memory_usage` and `memory_total`.
        public static let memory = "memory_usage"
        /// `syscall_count` and `syscall_rate`.
        public static let syscalls = "syscall_count"
        /// `syscalls`, the per-syscall and per-process details.
        public static let syscallDetails = "syscalls"
        /// `memory`, the system figures and memory events.
        public static let memoryDetails = "memory"
        /// `sched_latency`.
        public static let schedLatency = "sched_latency"
        /// `disk`.
        public static let disk = "disk"
        /// `network`.
        public static let network = "network"
    }
}
