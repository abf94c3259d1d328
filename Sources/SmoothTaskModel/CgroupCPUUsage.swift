/// One cgroup's CPU time over the last collection window, as `cgroups.top` reports it.
///
/// On the wire: `{"cgroup": "/system.slice/ssh.service", "id": 1234, "unit": "ssh.service",
/// "cpu_percent": 1.5, "cpu_time_ns": 15000000, "cpu_total_ns": 9000000000}`, plus
/// `"outside_namespace": true` for a cgroup outside the daemon's cgroup namespace.
public struct CgroupCPUUsage: Codable, Sendable, Equatable {
    /// Path below the cgroup v2 root (`/` for the root cgroup); `nil` if the cgroup was removed
    /// before its name could be read.
    public var cgroup: String?
    /// The cgroup v2 id: the inode number of its directory, as `bpf_get_current_cgroup_id()` returns.
    /// `nil` for a unit row (`by: unit`) that sums only cgroups below the unit's own directory.
    public var id: UInt64?
    /// The systemd unit the cgroup belongs to (`ssh.service`, `session-2.scope`, `user.slice`), if any.
    public var unit: String?
    /// Percent of one CPU used over the window, as `top` shows it (200 = two CPUs busy).
    public var cpuPercent: Double
    /// Nanoseconds on CPU over the window.
    public var cpuTimeNanoseconds: UInt64
    /// Nanoseconds on CPU since the cgroup program was attached (monotonic while it stays attached).
    public var cpuTotalNanoseconds: UInt64
    /// `true` when the daemon's cgroup view (a container's cgroup namespace) does not reach the
    /// cgroup, so it cannot be named (e.g. the host's root cgroup, id 1); `nil` otherwise, and then a
    /// nameless cgroup was removed. Omitted from the wire when `nil`.
    public var outsideNamespace: Bool?

    /// Creates one cgroup's figures.
    public init(
        cgroup: String?, id: UInt64?, unit: String?, cpuPercent: Double, cpuTimeNanoseconds: UInt64,
        cpuTotalNanoseconds: UInt64, outsideNamespace: Bool? = nil
    ) {
        self.cgroup = cgroup
        self.id = id
        self.unit = unit
        self.cpuPercent = cpuPercent
        self.cpuTimeNanoseconds = cpuTimeNanoseconds
        self.cpuTotalNanoseconds = cpuTotalNanoseconds
        self.outsideNamespace = outsideNamespace
    }

    enum CodingKeys: String, CodingKey {
        case cgroup, id, unit
        case cpuPercent = "cpu_percent"
        case cpuTimeNanoseconds = "cpu_time_ns"
        case cpuTotalNanoseconds = "cpu_total_ns"
        case outsideNamespace = "outside_namespace"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cgroup, forKey: .cgroup)
        try container.encode(id, forKey: .id)
        try container.encode(unit, forKey: .unit)
        try container.encode(cpuPercent, forKey: .cpuPercent)
        try container.encode(cpuTimeNanoseconds, forKey: .cpuTimeNanoseconds)
        try container.encode(cpuTotalNanoseconds, forKey: .cpuTotalNanoseconds)
        try container.encodeIfPresent(outsideNamespace, forKey: .outsideNamespace)
    }
}
