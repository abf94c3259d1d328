/// The result of `cgroups.top`: CPU time per cgroup (or per unit) over the last collection window.
///
/// On the wire: `{"by": "cgroup", "cgroups": [CgroupCPUUsage...], "timestamp": 1700000000000,
/// "window_ms": 1000, "source": "ebpf", "unavailable": null}`; `cgroups` is `null` and
/// `unavailable` says why when the figures cannot be had.
public struct CgroupsReport: Codable, Sendable, Equatable {
    /// How the rows are grouped.
    public var by: CgroupGrouping
    /// Rows, busiest first; `nil` when unavailable.
    public var cgroups: [CgroupCPUUsage]?
    /// Unix epoch milliseconds of the collection.
    public var timestamp: Int64
    /// Milliseconds the window covers.
    public var windowMilliseconds: Int64
    /// `ebpf` when measured, `disabled` or `unavailable` otherwise.
    public var source: MetricSource
    /// Why ``cgroups`` is `nil`.
    public var unavailable: String?
    /// `true` when the rows are sums over a recorded range (``from``...``to``); absent on live answers.
    public var recorded: Bool?
    public var from: Int64?
    public var to: Int64?

    /// Creates a report.
    public init(
        by: CgroupGrouping, cgroups: [CgroupCPUUsage]?, timestamp: Int64, windowMilliseconds: Int64,
        source: MetricSource, unavailable: String? = nil
    ) {
        self.by = by
        self.cgroups = cgroups
        self.timestamp = timestamp
        self.windowMilliseconds = windowMilliseconds
        self.source = source
        self.unavailable = unavailable
    }

    enum CodingKeys: String, CodingKey {
        case by, cgroups, timestamp, source, unavailable, recorded, from, to
        case windowMilliseconds = "window_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(by, forKey: .by)
        try container.encode(cgroups, forKey: .cgroups)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(windowMilliseconds, forKey: .windowMilliseconds)
        try container.encode(source, forKey: .source)
        try container.encode(unavailable, forKey: .unavailable)
        try container.encodeIfPresent(recorded, forKey: .recorded)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(to, forKey: .to)
    }

    /// This per-cgroup report grouped by `grouping` and cut to `limit` rows, busiest first.
    public func top(_ limit: Int, by grouping: CgroupGrouping) -> CgroupsReport {
        var report = self
        report.by = grouping
        report.cgroups = cgroups.map { rows in
            let grouped = grouping == .unit ? Self.rolledUpToUnits(rows) : rows
            return Array(grouped.sorted { $0.cpuTimeNanoseconds > $1.cpuTimeNanoseconds }.prefix(limit))
        }
        return report
    }

    /// Sums each row into a row for the deepest unit directory on its path. A row keeps its `id`
    /// only if it is the unit directory's own; rows whose path is unknown stay as they are.
    static func rolledUpToUnits(_ rows: [CgroupCPUUsage]) -> [CgroupCPUUsage] {
        var rolled: [CgroupCPUUsage] = []
        var indexByPath: [String: Int] = [:]
        for row in rows {
            guard let path = row.cgroup else {
                rolled.append(row)
                continue
            }
            let unitPath = SystemdUnit.directory(containing: path)
            var contribution = row
            if unitPath != path {
                contribution.cgroup = unitPath
                contribution.id = nil
            }
            guard let index = indexByPath[unitPath] else {
                indexByPath[unitPath] = rolled.count
                rolled.append(contribution)
                continue
            }
            rolled[index].id = rolled[index].id ?? contribution.id
            rolled[index].cpuPercent += row.cpuPercent
            rolled[index].cpuTimeNanoseconds += row.cpuTimeNanoseconds
            rolled[index].cpuTotalNanoseconds += row.cpuTotalNanoseconds
        }
        return rolled
    }
}
