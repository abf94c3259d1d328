/// A partial ``EbpfConfig``: the params of `config.set`. Absent fields keep their current value.
///
/// Decoding rejects unknown keys so a typo (`enable_cpu_metric`) is an error, not a silent no-op.
/// The switches are the cases of ``MetricSwitch``, read with the subscript.
public struct EbpfConfigPatch: Codable, Sendable, Equatable {
    /// New values of the switches the patch sets, by area.
    private var switches: [MetricSwitch: Bool] = [:]
    /// New value for `collection_interval_ms`, if set.
    public var collectionIntervalMilliseconds: Int?
    /// New value for `prometheus_listen`, if set: `.some(nil)` (JSON `null`) switches the endpoint off.
    public var prometheusListen: String??
    /// New value for `prometheus_cgroup_limit`, if set.
    public var prometheusCgroupLimit: Int?
    /// New values for `enable_history`, `history_max_bytes`, `history_max_age_s`, if set.
    public var enableHistory: Bool?
    public var historyMaxBytes: Int?
    public var historyMaxAgeSeconds: Int?
    /// New value for `max_overhead_percent`, if set.
    public var maxOverheadPercent: Double?

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
        prometheusCgroupLimit: Int? = nil,
        enableHistory: Bool? = nil,
        historyMaxBytes: Int? = nil,
        historyMaxAgeSeconds: Int? = nil,
        maxOverheadPercent: Double? = nil
    ) {
        self.maxOverheadPercent = maxOverheadPercent
        self.enableHistory = enableHistory
        self.historyMaxBytes = historyMaxBytes
        self.historyMaxAgeSeconds = historyMaxAgeSeconds
        self.collectionIntervalMilliseconds = collectionIntervalMilliseconds
        self.prometheusListen = prometheusListen
        self.prometheusCgroupLimit = prometheusCgroupLimit
        self[.cpu] = enableCPUMetrics
        self[.memory] = enableMemoryMetrics
        self[.syscalls] = enableSyscallMonitoring
        self[.schedLatency] = enableSchedLatency
        self[.disk] = enableDiskMetrics
        self[.network] = enableNetworkMetrics
        self[.cgroups] = enableCgroupMetrics
    }

    /// The new value of `area`'s switch; `nil` when the patch leaves it alone.
    public subscript(_ area: MetricSwitch) -> Bool? {
        get { switches[area] }
        set { switches[area] = newValue }
    }

    /// True when the patch changes nothing.
    public var isEmpty: Bool { self == EbpfConfigPatch() }

    /// Every key `config.set` accepts, in the order error messages list them.
    public static var keyNames: [String] {
        MetricSwitch.allCases.map(\.rawValue) + CodingKeys.allCases.map(\.stringValue)
    }

    /// The keys besides the switches, whose keys are ``MetricSwitch``'s raw values.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case collectionIntervalMilliseconds = "collection_interval_ms"
        case prometheusListen = "prometheus_listen"
        case prometheusCgroupLimit = "prometheus_cgroup_limit"
        case enableHistory = "enable_history"
        case historyMaxBytes = "history_max_bytes"
        case historyMaxAgeSeconds = "history_max_age_s"
        case maxOverheadPercent = "max_overhead_percent"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Self.keyNames, listing: "settable keys")
        let switchContainer = try decoder.container(keyedBy: AnyCodingKey.self)
        for area in MetricSwitch.allCases {
            self[area] = try switchContainer.decodeIfPresent(Bool.self, forKey: AnyCodingKey(stringValue: area.rawValue))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        collectionIntervalMilliseconds = try container.decodeIfPresent(Int.self, forKey: .collectionIntervalMilliseconds)
        // Present-and-null is a value (switch off), unlike absent.
        if container.contains(.prometheusListen) {
            prometheusListen = .some(try container.decodeNil(forKey: .prometheusListen)
                ? nil : container.decode(String.self, forKey: .prometheusListen))
        }
        prometheusCgroupLimit = try container.decodeIfPresent(Int.self, forKey: .prometheusCgroupLimit)
        enableHistory = try container.decodeIfPresent(Bool.self, forKey: .enableHistory)
        historyMaxBytes = try container.decodeIfPresent(Int.self, forKey: .historyMaxBytes)
        historyMaxAgeSeconds = try container.decodeIfPresent(Int.self, forKey: .historyMaxAgeSeconds)
        maxOverheadPercent = try container.decodeIfPresent(Double.self, forKey: .maxOverheadPercent)
    }

    public func encode(to encoder: any Encoder) throws {
        var switchContainer = encoder.container(keyedBy: AnyCodingKey.self)
        for (area, value) in switches {
            try switchContainer.encode(value, forKey: AnyCodingKey(stringValue: area.rawValue))
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(collectionIntervalMilliseconds, forKey: .collectionIntervalMilliseconds)
        if let prometheusListen { try container.encode(prometheusListen, forKey: .prometheusListen) }
        try container.encodeIfPresent(prometheusCgroupLimit, forKey: .prometheusCgroupLimit)
        try container.encodeIfPresent(enableHistory, forKey: .enableHistory)
        try container.encodeIfPresent(historyMaxBytes, forKey: .historyMaxBytes)
        try container.encodeIfPresent(historyMaxAgeSeconds, forKey: .historyMaxAgeSeconds)
        try container.encodeIfPresent(maxOverheadPercent, forKey: .maxOverheadPercent)
    }
}
