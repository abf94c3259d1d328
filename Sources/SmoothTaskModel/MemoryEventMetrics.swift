/// Memory events counted by the eBPF `memory_events` program: totals since attach and the last
/// interval's share.
public struct MemoryEventMetrics: Codable, Sendable, Equatable {
    /// Page faults taken in user mode (exceptions/page_fault_user, x86) since load, while attached.
    /// Minor and major together: no tracepoint tells them apart; faults the kernel takes on user
    /// memory itself (inside read(), for instance) are not included.
    public var userFaultsTotal: UInt64
    /// User-mode page faults over the last interval.
    public var userFaults: UInt64
    /// User-mode page faults per second over the last interval.
    public var userFaultRatePerSecond: Double
    /// The processes with the most user-mode page faults over the last interval (at most ``topLimit``).
    public var topFaulting: [ProcessEventCount]
    /// Allocations that stalled in direct (global) or cgroup-limit reclaim, since load.
    public var reclaimStallsTotal: UInt64
    /// Nanoseconds tasks spent stalled in reclaim, since load.
    public var reclaimStallNanosecondsTotal: UInt64
    /// Reclaim stalls over the last interval.
    public var reclaimStalls: UInt64
    /// Nanoseconds stalled in reclaim over the last interval (summed over tasks).
    public var reclaimStallNanoseconds: UInt64
    /// OOM kills since load (global or cgroup), while attached.
    public var oomKillsTotal: UInt64
    /// The latest OOM kills, newest first (at most ``oomVictimLimit``).
    public var recentOOMKills: [OOMKill]
    /// Inserts the kernel refused because a map was full, since load; nonzero means some process's
    /// counts were lost (totals still hold them).
    public var mapFull: UInt64

    /// How many entries ``topFaulting`` holds at most.
    public static let topLimit = 10
    /// How many victims the kernel keeps (`MEMORY_EVENTS_OOM_SLOTS` in bpf/memory_events.h).
    public static let oomVictimLimit = 16

    /// Creates memory event figures.
    public init(
        userFaultsTotal: UInt64, userFaults: UInt64, userFaultRatePerSecond: Double, topFaulting: [ProcessEventCount],
        reclaimStallsTotal: UInt64, reclaimStallNanosecondsTotal: UInt64, reclaimStalls: UInt64,
        reclaimStallNanoseconds: UInt64, oomKillsTotal: UInt64, recentOOMKills: [OOMKill], mapFull: UInt64
    ) {
        self.userFaultsTotal = userFaultsTotal
        self.userFaults = userFaults
        self.userFaultRatePerSecond = userFaultRatePerSecond
        self.topFaulting = topFaulting
        self.reclaimStallsTotal = reclaimStallsTotal
        self.reclaimStallNanosecondsTotal = reclaimStallNanosecondsTotal
        self.reclaimStalls = reclaimStalls
        self.reclaimStallNanoseconds = reclaimStallNanoseconds
        self.oomKillsTotal = oomKillsTotal
        self.recentOOMKills = recentOOMKills
        self.mapFull = mapFull
    }

    enum CodingKeys: String, CodingKey {
        case userFaultsTotal = "user_faults_total"
        case userFaults = "user_faults"
        case userFaultRatePerSecond = "user_fault_rate_per_s"
        case topFaulting = "top_faulting"
        case reclaimStallsTotal = "reclaim_stalls_total"
        case reclaimStallNanosecondsTotal = "reclaim_stall_ns_total"
        case reclaimStalls = "reclaim_stalls"
        case reclaimStallNanoseconds = "reclaim_stall_ns"
        case oomKillsTotal = "oom_kills_total"
        case recentOOMKills = "recent_oom_kills"
        case mapFull = "map_full"
    }
}
