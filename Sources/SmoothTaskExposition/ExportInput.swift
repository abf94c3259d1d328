import SmoothTaskModel

/// Everything one exposition is built from: the daemon's latest snapshot and its self-metrics.
/// Nothing here is measured at scrape time.
public struct ExportInput: Sendable {
    /// The daemon's status: configuration, latest collection, eBPF state.
    public var status: DaemonStatus
    /// The latest per-cgroup collection, per cgroup; `nil` if none.
    public var cgroups: CgroupsReport?
    /// The daemon's user + system CPU seconds since it started, as of the latest collection.
    public var daemonCPUSeconds: Double?
    /// The daemon's resident memory in bytes, as of the latest collection.
    public var daemonResidentBytes: UInt64?
    /// Unix epoch seconds at which the daemon started.
    public var daemonStartTimeSeconds: Double?
    /// Per program name: intervals its kernel side could not record because a map was full.
    public var mapFullDrops: [String: UInt64]
    /// How long collections took, in seconds.
    public var collectionDurations: HistogramSnapshot?
    /// How long earlier scrapes took to render and send, in seconds.
    public var scrapeDurations: HistogramSnapshot?
    /// The cumulative counters as of the latest collection; `nil` leaves their families out. (The
    /// OTLP bridge gets them with every other family through `metrics.families`.)
    public var counters: CounterExport?
    /// The overhead budget as of the latest collection; `nil` before the second one or without a governor.
    public var budget: OverheadBudget?

    /// Creates an input; only `status` is required.
    public init(
        status: DaemonStatus,
        cgroups: CgroupsReport? = nil,
        daemonCPUSeconds: Double? = nil,
        daemonResidentBytes: UInt64? = nil,
        daemonStartTimeSeconds: Double? = nil,
        mapFullDrops: [String: UInt64] = [:],
        collectionDurations: HistogramSnapshot? = nil,
        scrapeDurations: HistogramSnapshot? = nil,
        counters: CounterExport? = nil,
        budget: OverheadBudget? = nil
    ) {
        self.budget = budget
        self.status = status
        self.cgroups = cgroups
        self.daemonCPUSeconds = daemonCPUSeconds
        self.daemonResidentBytes = daemonResidentBytes
        self.daemonStartTimeSeconds = daemonStartTimeSeconds
        self.mapFullDrops = mapFullDrops
        self.collectionDurations = collectionDurations
        self.scrapeDurations = scrapeDurations
        self.counters = counters
    }
}
