import SmoothTaskModel

/// CPU per cgroup summed over the collections of a range (`cgroups.top {"from", "to"}`).
public struct RecordedCgroupRange: Sendable {
    /// Collections used, the milliseconds their windows add up to, the newest one's time.
    public var collections: Int
    public var coveredMilliseconds: Int64
    public var newest: Int64?
    /// One row per cgroup id: `cpu_time_ns` summed, `cpu_percent` over the covered time,
    /// `cpu_total_ns` as last recorded.
    public var cgroups: [CgroupCPUUsage]
}
