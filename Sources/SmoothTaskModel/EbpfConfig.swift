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

    /// Each area's switch (``MetricSwitch``); read and set with the subscript.
    private var switches: [MetricSwitch: Bool]
    /// Milliseconds between two collections, within ``allowedIntervalMilliseconds``.
    public var collectionIntervalMilliseconds: Int
    /// Where the Prometheus/OpenMetrics endpoint listens (see ``MetricsListenAddress``); `nil`: off.
    public var prometheusListen: String?
    /// How many cgroups get a series of their own in the Prometheus export; the rest are summed
    /// into one `cgroup="other"` series. Within ``allowedPrometheusCgroupLimit``.
    public var prometheusCgroupLimit: Int

    /// Bounds the export's cardinality: each cgroup series is one time series in every scraper.
    public static let allowedPrometheusCgroupLimit = 0...100

    /// Record every collection in the history store of the state directory (`enable_history`).
    public var enableHistory: Bool
    /// Most bytes the history store may take on disk; the oldest collections go first (`history_max_bytes`).
    public var historyMaxBytes: Int
    /// Oldest collection the history keeps, in seconds (`history_max_age_s`).
    public var historyMaxAgeSeconds: Int

    /// 256 MiB: a day at one collection per second with a few hundred busy processes (see BENCHMARKS.md).
    public static let defaultHistoryMaxBytes = 256 << 20
    /// Seven days: long enough to ask about last week's incident, short enough to bound the store by default.
    public static let defaultHistoryMaxAgeSeconds = 7 * 86_400
    /// 1 MiB...64 GiB: below 1 MiB a store holds only a few minutes; above 64 GiB it is a job for a
    /// time-series database, not a system service's state directory.
    public static let allowedHistoryMaxBytes = (1 << 20)...(64 << 30)
    /// One minute...one year.
    public static let allowedHistoryMaxAgeSeconds = 60...(366 * 86_400)

    /// Percent of one CPU the daemon and its eBPF programs may cost together (`max_overhead_percent`);
    /// 0 means no limit. Above it the daemon sheds its optional programs (see ``OverheadBudget``).
    public var maxOverheadPercent: Double
    /// 1% of one CPU: ten times what the daemon costs on an idle machine at one collection per second
    /// (BENCHMARKS.md), so only an event storm makes it shed anything.
    public static let defaultMaxOverheadPercent = 1.0
    /// 0 (no limit)...100: a budget of more than one whole CPU would never shed anything.
    public static let allowedMaxOverheadPercent = 0.0...100.0

    /// The configuration a fresh daemon starts with: one collection per second, each switch at its
    /// ``MetricSwitch/defaultValue`` (everything on).
    public static let defaults = EbpfConfig(
        enableCPUMetrics: true,
        enableMemoryMetrics: true,
        enableSyscallMonitoring: true,
        collectionIntervalMilliseconds: 1000,
        enableSchedLatency: true,
        enableDiskMetrics: true,
        enableNetworkMetrics: true,
        enableCgroupMetrics: true,
        prometheusListen: nil,
        prometheusCgroupLimit: 10,
        enableHistory: true,
        historyMaxBytes: defaultHistoryMaxBytes,
        historyMaxAgeSeconds: defaultHistoryMaxAgeSeconds,
        maxOverheadPercent: defaultMaxOverheadPercent
    )

    /// Creates a configuration; call ``validated()`` before trusting values from outside. A switch
    /// without a parameter of its own takes its ``MetricSwitch/defaultValue``.
    public init(
        enableCPUMetrics: Bool,
        enableMemoryMetrics: Bool,
        enableSyscallMonitoring: Bool,
        collectionIntervalMilliseconds: Int,
        enableSchedLatency: Bool = MetricSwitch.schedLatency.defaultValue,
        enableDiskMetrics: Bool = MetricSwitch.disk.defaultValue,
        enableNetworkMetrics: Bool = MetricSwitch.network.defaultValue,
        enableCgroupMetrics: Bool = MetricSwitch.cgroups.defaultValue,
        prometheusListen: String? = nil,
        prometheusCgroupLimit: Int = 10,
        enableHistory: Bool = true,
        historyMaxBytes: Int = defaultHistoryMaxBytes,
        historyMaxAgeSeconds: Int = defaultHistoryMaxAgeSeconds,
        maxOverheadPercent: Double = defaultMaxOverheadPercent
    ) {
        self.maxOverheadPercent = maxOverheadPercent
        switches = Dictionary(uniqueKeysWithValues: MetricSwitch.allCases.map { ($0, $0.defaultValue) })
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

    /// Whether `area`'s switch is on.
    public subscript(_ area: MetricSwitch) -> Bool {
        get { switches[area] ?? area.defaultValue }
        set { switches[area] = newValue }
    }

    /// Attach the `sched_switch` CPU accounting program.
    public var enableCPUMetrics: Bool { get { self[.cpu] } set { self[.cpu] = newValue } }
    /// Report system memory figures and attach the memory events program.
    public var enableMemoryMetrics: Bool { get { self[.memory] } set { self[.memory] = newValue } }
    /// Attach the syscall counting programs.
    public var enableSyscallMonitoring: Bool { get { self[.syscalls] } set { self[.syscalls] = newValue } }
    /// Attach the run-queue latency program.
    public var enableSchedLatency: Bool { get { self[.schedLatency] } set { self[.schedLatency] = newValue } }
    /// Attach the block I/O program.
    public var enableDiskMetrics: Bool { get { self[.disk] } set { self[.disk] = newValue } }
    /// Attach the network program.
    public var enableNetworkMetrics: Bool { get { self[.network] } set { self[.network] = newValue } }
    /// Attach the per-cgroup CPU program (`cgroups.top`, per-unit Prometheus series).
    public var enableCgroupMetrics: Bool { get { self[.cgroups] } set { self[.cgroups] = newValue } }

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
        guard Self.allowedHistoryMaxBytes.contains(historyMaxBytes) else {
            throw ConfigValidationError(
                field: CodingKeys.historyMaxBytes.stringValue,
                message: "history_max_bytes must be \(Self.allowedHistoryMaxBytes.lowerBound)..."
                    + "\(Self.allowedHistoryMaxBytes.upperBound) (got \(historyMaxBytes))"
            )
        }
        guard Self.allowedHistoryMaxAgeSeconds.contains(historyMaxAgeSeconds) else {
            throw ConfigValidationError(
                field: CodingKeys.historyMaxAgeSeconds.stringValue,
                message: "history_max_age_s must be \(Self.allowedHistoryMaxAgeSeconds.lowerBound)..."
                    + "\(Self.allowedHistoryMaxAgeSeconds.upperBound) (got \(historyMaxAgeSeconds))"
            )
        }
        guard Self.allowedMaxOverheadPercent.contains(maxOverheadPercent) else {
            throw ConfigValidationError(
                field: CodingKeys.maxOverheadPercent.stringValue,
                message: "max_overhead_percent must be \(Self.allowedMaxOverheadPercent.lowerBound)..."
                    + "\(Self.allowedMaxOverheadPercent.upperBound) (percent of one CPU, 0 = no limit; got \(maxOverheadPercent))"
            )
        }
        _ = try metricsListenAddress()
        return self
    }

    /// Returns this configuration with every field the patch sets replaced, validated.
    public func applying(_ patch: EbpfConfigPatch) throws(ConfigValidationError) -> EbpfConfig {
        var changed = self
        for area in MetricSwitch.allCases {
            if let value = patch[area] { changed[area] = value }
        }
        if let value = patch.collectionIntervalMilliseconds { changed.collectionIntervalMilliseconds = value }
        // "" switches the endpoint off like null, for clients that cannot send null.
        if let value = patch.prometheusListen { changed.prometheusListen = value?.isEmpty == true ? nil : value }
        if let value = patch.prometheusCgroupLimit { changed.prometheusCgroupLimit = value }
        if let value = patch.enableHistory { changed.enableHistory = value }
        if let value = patch.historyMaxBytes { changed.historyMaxBytes = value }
        if let value = patch.historyMaxAgeSeconds { changed.historyMaxAgeSeconds = value }
        if let value = patch.maxOverheadPercent { changed.maxOverheadPercent = value }
        return try changed.validated()
    }

    /// The keys besides the switches, whose keys are ``MetricSwitch``'s raw values.
    enum CodingKeys: String, CodingKey {
        case collectionIntervalMilliseconds = "collection_interval_ms"
        case prometheusListen = "prometheus_listen"
        case prometheusCgroupLimit = "prometheus_cgroup_limit"
        case enableHistory = "enable_history"
        case historyMaxBytes = "history_max_bytes"
        case historyMaxAgeSeconds = "history_max_age_s"
        case maxOverheadPercent = "max_overhead_percent"
    }

    /// A switch missing from the input (a daemon older than the switch) takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        collectionIntervalMilliseconds = try container.decode(Int.self, forKey: .collectionIntervalMilliseconds)
        prometheusListen = try container.decodeIfPresent(String.self, forKey: .prometheusListen)
        prometheusCgroupLimit = try container.decode(Int.self, forKey: .prometheusCgroupLimit)
        // A file written before history existed takes the defaults.
        enableHistory = try container.decodeIfPresent(Bool.self, forKey: .enableHistory) ?? true
        historyMaxBytes = try container.decodeIfPresent(Int.self, forKey: .historyMaxBytes) ?? Self.defaultHistoryMaxBytes
        historyMaxAgeSeconds = try container.decodeIfPresent(Int.self, forKey: .historyMaxAgeSeconds) ?? Self.defaultHistoryMaxAgeSeconds
        maxOverheadPercent = try container.decodeIfPresent(Double.self, forKey: .maxOverheadPercent) ?? Self.defaultMaxOverheadPercent
        let switchContainer = try decoder.container(keyedBy: AnyCodingKey.self)
        switches = [:]
        for area in MetricSwitch.allCases {
            self[area] = try switchContainer.decodeIfPresent(Bool.self, forKey: AnyCodingKey(stringValue: area.rawValue))
                ?? area.defaultValue
        }
    }

    // prometheus_listen is written as an explicit null when off, so `config get` shows the key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(collectionIntervalMilliseconds, forKey: .collectionIntervalMilliseconds)
        try container.encode(prometheusListen, forKey: .prometheusListen)
        try container.encode(prometheusCgroupLimit, forKey: .prometheusCgroupLimit)
        try container.encode(enableHistory, forKey: .enableHistory)
        try container.encode(historyMaxBytes, forKey: .historyMaxBytes)
        try container.encode(historyMaxAgeSeconds, forKey: .historyMaxAgeSeconds)
        try container.encode(maxOverheadPercent, forKey: .maxOverheadPercent)
        var switchContainer = encoder.container(keyedBy: AnyCodingKey.self)
        for area in MetricSwitch.allCases {
            try switchContainer.encode(self[area], forKey: AnyCodingKey(stringValue: area.rawValue))
        }
    }
}
