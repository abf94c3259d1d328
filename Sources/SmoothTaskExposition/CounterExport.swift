import SmoothTaskModel

/// The counter state the exposition keeps between collections: the latest ``CounterReadings`` and
/// the bounded, monotonic series of the labelled counters whose keys come and go (syscalls by name,
/// failures by errno, CPU per cgroup and per systemd unit; see ``SeriesSelection``).
///
/// The daemon advances it once per collection, never per scrape, so every scrape of one collection
/// shows the same values.
public struct CounterExport: Sendable, Equatable {
    /// Syscall names with a series of their own (the rest count in `syscall="other"`): Linux has
    /// about 450 syscalls, of which a typical machine makes 100–200, and 30 cover nearly all calls.
    public static let syscallSeriesLimit = 30
    /// Errnos with a series of their own (the rest count in `errno="other"`).
    public static let errnoSeriesLimit = 15
    /// The label value of the series that sums every key without one.
    public static let otherLabel = "other"

    /// The latest readings; `nil` before the first collection.
    public private(set) var readings: CounterReadings?
    /// Syscalls by name.
    public private(set) var syscalls = SeriesSelection()
    /// Failed syscalls by errno.
    public private(set) var failures = SeriesSelection()
    /// CPU nanoseconds per cgroup path.
    public private(set) var cgroups = SeriesSelection()
    /// CPU nanoseconds per systemd unit.
    public private(set) var units = SeriesSelection()
    /// Whether the cgroup program's report was in the latest collection.
    public private(set) var hasCgroups = false
    /// Unix time the counters that count from the daemon's start (the eBPF ones) began: the
    /// `_created` of their OpenMetrics series.
    public let createdSeconds: Double

    /// An empty state for a daemon that started at `createdSeconds` (Unix time).
    public init(createdSeconds: Double) {
        self.createdSeconds = createdSeconds
    }

    /// Takes one collection's readings and cgroup report.
    /// - Parameter cgroupLimit: how many cgroups (and units) get a series of their own
    ///   (`prometheus_cgroup_limit`).
    public mutating func advance(readings: CounterReadings, cgroups report: CgroupsReport?, cgroupLimit: Int) {
        self.readings = readings
        if let counts = readings.syscalls { syscalls.advance(toTotals: counts, limit: Self.syscallSeriesLimit) }
        if let counts = readings.syscallFailures { failures.advance(toTotals: counts, limit: Self.errnoSeriesLimit) }
        hasCgroups = report?.cgroups != nil
        guard let rows = report?.cgroups else { return }
        // The report's per-window CPU, not its totals: a unit's total drops when one of its cgroups
        // is removed, which a total would read as a restart.
        var byPath: [String: UInt64] = [:]
        var byUnit: [String: UInt64] = [:]
        for row in rows {
            byPath[row.cgroup ?? SeriesSelection.unnamedKey, default: 0] += row.cpuTimeNanoseconds
            byUnit[row.unit ?? SeriesSelection.unnamedKey, default: 0] += row.cpuTimeNanoseconds
        }
        cgroups.advance(adding: byPath, limit: cgroupLimit)
        units.advance(adding: byUnit, limit: cgroupLimit)
    }
}
