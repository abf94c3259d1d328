/// One process's activity over the last collection interval, as `processes.top` lists it.
///
/// A column whose program is switched off or not attached is `nil` (JSON `null`), with the reason in
/// ``ProcessTop/unavailable``; it is never a zero that looks real.
public struct ProcessActivity: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Command name from /proc/PID/comm; `nil` if the process exited before it was read.
    public var comm: String?
    /// Owner's uid (of /proc/PID); `nil` if the process exited.
    public var uid: UInt32?
    /// Owner's user name; `nil` if the uid has no name or the process exited.
    public var user: String?
    /// Percent of one CPU over the interval, as `top` shows it (eBPF, sched_switch).
    public var cpuPercent: Double?
    /// Nanoseconds on CPU over the interval (eBPF, sched_switch).
    public var cpuTimeNanoseconds: UInt64?
    /// Syscalls entered over the interval (eBPF, sys_enter).
    public var syscalls: UInt64?
    /// Page faults taken in user mode over the interval (eBPF, page_fault_user; minor and major).
    public var userFaults: UInt64?
    /// Major page faults since the process started (procfs: /proc/PID/stat majflt).
    public var majorFaultsTotal: UInt64?
    /// Reclaim stalls over the interval (eBPF, direct and cgroup reclaim).
    public var reclaimStalls: UInt64?
    /// Nanoseconds stalled in reclaim over the interval (eBPF).
    public var reclaimStallNanoseconds: UInt64?
    /// Resident set size now, bytes (procfs: /proc/PID/stat rss).
    public var rssBytes: UInt64?

    /// Creates a row with only the identity filled in.
    public init(pid: Int32) {
        self.pid = pid
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pid, comm, uid, user, syscalls
        case cpuPercent = "cpu_percent"
        case cpuTimeNanoseconds = "cpu_time_ns"
        case userFaults = "user_faults"
        case majorFaultsTotal = "major_faults_total"
        case reclaimStalls = "reclaim_stalls"
        case reclaimStallNanoseconds = "reclaim_stall_ns"
        case rssBytes = "rss_bytes"
    }

    // Every column is written, `null` included, so a reader sees which ones are missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encode(comm, forKey: .comm)
        try container.encode(uid, forKey: .uid)
        try container.encode(user, forKey: .user)
        try container.encode(cpuPercent, forKey: .cpuPercent)
        try container.encode(cpuTimeNanoseconds, forKey: .cpuTimeNanoseconds)
        try container.encode(syscalls, forKey: .syscalls)
        try container.encode(userFaults, forKey: .userFaults)
        try container.encode(majorFaultsTotal, forKey: .majorFaultsTotal)
        try container.encode(reclaimStalls, forKey: .reclaimStalls)
        try container.encode(reclaimStallNanoseconds, forKey: .reclaimStallNanoseconds)
        try container.encode(rssBytes, forKey: .rssBytes)
    }
}
