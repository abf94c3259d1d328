/// A partial ``EbpfConfig``: the params of `config.set`. Absent fields keep their current value.
///
/// Decoding rejects unknown keys so a typo (`enable_cpu_metric`) is an error, not a silent no-op.
public struct EbpfConfigPatch: Codable, Sendable, Equatable {
    /// New value for `enable_cpu_metrics`, if set.
    public var enableCPUMetrics: Bool?
    /// New value for `enable_memory_metrics`, if set.
    public var enableMemoryMetrics: Bool?
    /// New value for `enable_syscall_monitoring`, if set.
    public var enableSyscallMonitoring: Bool?
    /// New value for `collection_interval_ms`, if set.
    public var collectionIntervalMilliseconds: Int?
    /// New value for `enable_sched_latency`, if set.
    public var enableSchedLatency: Bool?
    /// New value for `enable_disk_metrics`, if set.
    public var enableDiskMetrics: Bool?
    /// New value for `enable_network_metrics`, if set.
    public var enableNetworkMetrics: Bool?
    /// New value for `enable_cgroup_metrics`, if set.
    public var enableCgroupMetrics: Bool?
    /// New value for `prometheus_listen`, if set: `.some(nil)` (JSON `null`) switches the endpoint off.
    public var prometheusListen: String??
    /// New value for `prometheus_cgroup_limit`, if set.
    public var prometheusCgroupLimit: Int?

    /// Creates a patch; `nil` fields are left unchanged when applied.
    public init(
        enableCPUMetrics: Bool? = nil,
        enableMemoryMetrics: Bool? = nil,
        enableSyscallMonitoring: Bool? = nil,
        collectionIntervalMilliseconds: Int? = nil,
        enableSchedLatency: Bool? = nil,
        enableDiskMetrics: Bool? = nil,
        enableNetworkMetrics: Bool? = nil,
        enableCgroupMetrics: Bool? = nil,
        prometheusListen: String?? = nil,
        prometheusCgroupLimit: Int? = nil
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

    /// True when the patch sets no field at all.
    public var isEmpty: Bool { self == EbpfConfigPatch() }

    /// The wire names of every settable key, for error messages and `--help`.
    public static var keyNames: [String] { CodingKeys.allCases.map(\.stringValue) }

    enum CodingKeys: String, CodingKey, CaseIterable {
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

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Self.keyNames, listing: "settable keys")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enableCPUMetrics = try container.decodeIfPresent(Bool.self, forKey: .enableCPUMetrics)
        enableMemoryMetrics = try container.decodeIfPresent(Bool.self, forKey: .enableMemoryMetrics)
        enableSyscallMonitoring = try container.decodeIfPresent(Bool.self, forKey: .enableSyscallMonitoring)
        collectionIntervalMilliseconds = try container.decodeIfPresent(Int.self, forKey: .collectionIntervalMilliseconds)
        enableSchedLatency = try container.decodeIfPresent(Bool.self, forKey: .enableSchedLatency)
        enableDiskMetrics = try container.decodeIfPresent(Bool.self, forKey: .enableDiskMetrics)
        enableNetworkMetrics = try container.decodeIfPresent(Bool.self, forKey: .enableNetworkMetrics)
        enableCgroupMetrics = try container.decodeIfPresent(Bool.self, forKey: .enableCgroupMetrics)
        // Present-and-null is a value (switch off), unlike absent.
        if container.contains(.prometheusListen) {
            prometheusListen = .some(try container.decodeNil(forKey: .prometheusListen)
                ? nil : container.decode(String.self, forKey: .prometheusListen))
        }
        prometheusCgroupLimit = try container.decodeIfPresent(Int.self, forKey: .prometheusCgroupLimit)
    }
}
