/// What the daemon collects and how often: the seed's `EbpfConfig`.
///
/// On the wire its keys are snake_case (`enable_cpu_metrics`, ..., `collection_interval_ms`).
public struct EbpfConfig: Codable, Sendable, Equatable {
    /// Shortest allowed collection interval: below 10 ms the daemon's own map reads would dominate.
    public static let minimumIntervalMilliseconds = 10
    /// Longest allowed collection interval: one hour.
    public static let maximumIntervalMilliseconds = 3_600_000
    /// The inclusive range `collection_interval_ms` must fall in.
    public static let allowedIntervalMilliseconds = minimumIntervalMilliseconds...maximumIntervalMilliseconds

    /// Attach the `sched_switch` CPU accounting program.
    public var enableCPUMetrics: Bool
    /// Report system memory figures.
    public var enableMemoryMetrics: Bool
    /// Attach the `sys_enter` syscall counting program.
    public var enableSyscallMonitoring: Bool
    /// Milliseconds between two collections, within ``allowedIntervalMilliseconds``.
    public var collectionIntervalMilliseconds: Int
    /// Attach the run-queue latency program (`sched_wakeup`, `sched_wakeup_new`, `sched_switch`).
    public var enableSchedLatency: Bool
    /// Attach the block I/O program (`block_io_start`, `block_rq_issue`, `block_rq_complete`).
    public var enableDiskMetrics: Bool
    /// Attach the network program (`sock_send_length`, `sock_recv_length`, `net_dev_xmit`,
    /// `netif_receive_skb`, `tcp_retransmit_skb`).
    public var enableNetworkMetrics: Bool
    /// Attach the `sched_switch` per-cgroup CPU program (`cgroups.top`, per-unit Prometheus series).
    public var enableCgroupMetrics: Bool
    /// Where the Prometheus/OpenMetrics endpoint listens (see ``MetricsListenAddress``); `nil`: off.
    public var prometheusListen: String?
    /// How many cgroups get a series of their own in the Prometheus export; the rest are summed
    /// into one `cgroup="other"` series. Within ``allowedPrometheusCgroupLimit``.
    public var prometheusCgroupLimit: Int

    /// Bounds the export's cardinality: each cgroup series is one time series in every scraper.
    public static let allowedPrometheusCgroupLimit = 0...100

    /// The configuration a fresh daemon starts with: one collection per second, everything on except
    /// run-queue latency. That one costs about twice what the CPU accounting does on every context
    /// switch and wakeup (~0.9 µs per switch plus ~0.7 µs per wakeup measured on a loaded 2-CPU
    /// machine), so it is switched on when wanted; disk (~1.5 µs per I/O request) and network
    /// (~0.1 µs per socket call or packet) are cheap next to the work they measure.
    public static let defaults = EbpfConfig(
        enableCPUMetrics: true,
        enableMemoryMetrics: true,
        enableSyscallMonitoring: true,
        collectionIntervalMilliseconds: 1000,
        enableSchedLatency: false,
        enableDiskMetrics: true,
        enableNetworkMetrics: true,
        enableCgroupMetrics: true,
        prometheusListen: nil,
        prometheusCgroupLimit: 10
    )

    /// Creates a configuration; call ``validated()`` before trusting values from outside.
    public init(
        enableCPUMetrics: Bool,
        enableMemoryMetrics: Bool,
        enableSyscallMonitoring: Bool,
        collectionIntervalMilliseconds: Int,
        enableSchedLatency: Bool = false,
        enableDiskMetrics: Bool = true,
        enableNetworkMetrics: Bool = true,
        enableCgroupMetrics: Bool = true,
        prometheusListen: String? = nil,
        prometheusCgroupLimit: Int = 10
    ) {
        self.enableCPUMetrics = enableCPUMetrics
        self.enableMemoryMetrics = enableMemoryMetrics
        self.enableSyscallMonitoring = enableSyscallMonitoring
        self.collectionIntervalMilliseconds = collectionIntervalMilliseconds
        self.enableSchedLatency = enableSchedLatency
        self.enableDiskMetrics = enableDiskMetrics
        self.enableNetworkMetrics = enableNetworkMetrics
        self.enableCgroupMetrics = enableCgroupMetrics
        self.prometheusListen = prometheusListen
        self.prometheusCgroupLimit = prometheusCgroupLimit
    }

    /// ``prometheusListen`` parsed; `nil` when the endpoint is off.
    public func metricsListenAddress() throws(ConfigValidationError) -> MetricsListenAddress? {
        try prometheusListen.map { text throws(ConfigValidationError) in try MetricsListenAddress(parsing: text) }
    }

    /// The collection interval as a `Duration`.
    public var collectionInterval: Duration { .milliseconds(collectionIntervalMilliseconds) }

    /// Returns `self` if every value is in range, otherwise the first offending field.
    public func validated() throws(ConfigValidationError) -> EbpfConfig {
        guard Self.allowedIntervalMilliseconds.contains(collectionIntervalMilliseconds) else {
            throw ConfigValidationError(
                field: CodingKeys.collectionIntervalMilliseconds.stringValue,
                message: "collection_interval_ms must be \(Self.minimumIntervalMilliseconds)..."
                    + "\(Self.maximumIntervalMilliseconds) (got \(collectionIntervalMilliseconds))"
            )
        }
        guard Self.allowedPrometheusCgroupLimit.contains(prometheusCgroupLimit) else {
            throw ConfigValidationError(
                field: CodingKeys.prometheusCgroupLimit.stringValue,
                message: "prometheus_cgroup_limit must be \(Self.allowedPrometheusCgroupLimit.lowerBound)..."
                    + "\(Self.allowedPrometheusCgroupLimit.upperBound) (got \(prometheusCgroupLimit))"
            )
        }
        _ = try metricsListenAddress()
        return self
    }

    /// Returns this configuration with every field the patch sets replaced, validated.
    public func applying(_ patch: EbpfConfigPatch) throws(ConfigValidationError) -> EbpfConfig {
        var changed = self
        if let value = patch.enableCPUMetrics { changed.enableCPUMetrics = value }
        if let value = patch.enableMemoryMetrics { changed.enableMemoryMetrics = value }
        if let value = patch.enableSyscallMonitoring { changed.enableSyscallMonitoring = value }
        if let value = patch.collectionIntervalMilliseconds { changed.collectionIntervalMilliseconds = value }
        if let value = patch.enableSchedLatency { changed.enableSchedLatency = value }
        if let value = patch.enableDiskMetrics { changed.enableDiskMetrics = value }
        if let value = patch.enableNetworkMetrics { changed.enableNetworkMetrics = value }
        if let value = patch.enableCgroupMetrics { changed.enableCgroupMetrics = value }
        // "" switches the endpoint off like null, for clients that cannot send null.
        if let value = patch.prometheusListen { changed.prometheusListen = value?.isEmpty == true ? nil : value }
        if let value = patch.prometheusCgroupLimit { changed.prometheusCgroupLimit = value }
        return try changed.validated()
    }

    enum CodingKeys: String, CodingKey {
        case enableCPUMetrics = "enable_cpu_metrics"
        case enableMemoryMetrics = "enable_memory_metrics"
        case enableSyscallMonitoring = "enable_syscall_monitoring"
        case collectionIntervalMilliseconds = "collection_interval_ms"
        case enableSchedLatency = "enable_sched_latency"
        case enableDiskMetrics = "enable_disk_metrics"
        case enableNetworkMetrics = "enable_network_metrics"
        case enableCgroupMetrics = "enable_cgroup_metrics"
        case prometheusListen = "prometheus_listen"
        case prometheusCgroupLimit = "prometheus_cgroup_limit"
    }

    // prometheus_listen is written as an explicit null when off, so `config get` shows the key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enableCPUMetrics, forKey: .enableCPUMetrics)
        try container.encode(enableMemoryMetrics, forKey: .enableMemoryMetrics)
        try container.encode(enableSyscallMonitoring, forKey: .enableSyscallMonitoring)
        try container.encode(collectionIntervalMilliseconds, forKey: .collectionIntervalMilliseconds)
        try container.encode(enableSchedLatency, forKey: .enableSchedLatency)
        try container.encode(enableDiskMetrics, forKey: .enableDiskMetrics)
        try container.encode(enableNetworkMetrics, forKey: .enableNetworkMetrics)
        try container.encode(enableCgroupMetrics, forKey: .enableCgroupMetrics)
        try container.encode(prometheusListen, forKey: .prometheusListen)
        try container.encode(prometheusCgroupLimit, forKey: .prometheusCgroupLimit)
    }
}
