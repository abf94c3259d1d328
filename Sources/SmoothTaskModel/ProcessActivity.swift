/// One process's activity over the last collection interval and over its life, as
/// `processes.top` and `processes.exited` list it; live and exited processes alike.
///
/// A column whose program is switched off or not attached is `nil` (JSON `null`), with the reason in
/// ``ProcessTop/unavailable``; it is never a zero that looks real.
public struct ProcessActivity: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Whether the process still runs.
    public var state: ProcessState
    /// Command name: from /proc/PID/comm, or as the kernel had it at exit.
    public var comm: String?
    /// Command line: /proc/PID/cmdline of a live process; of an exited one the start of its argv
    /// captured at exec (`nil` if it did not exec while SmoothTask ran).
    public var command: String?
    /// Owner's (effective) uid: of /proc/PID, or as the kernel had it at exit.
    public var uid: UInt32?
    /// Owner's user name; `nil` if the uid has no name.
    public var user: String?
    /// Lifetime figures; `nil` when no eBPF program counts per process.
    public var totals: ProcessTotals?
    /// Parent's pid at exit (exited processes only).
    public var ppid: Int32?
    /// Unix epoch milliseconds it started and exited (exited processes only).
    public var startTimeMilliseconds: Int64?
    public var exitTimeMilliseconds: Int64?
    /// Exit status when it exited by itself (exited processes only).
    public var exitCode: Int32?
    /// The signal that ended it (exited processes only).
    public var exitSignal: Int32?
    /// Its cgroup v2 id at exit (exited processes only).
    public var cgroupID: UInt64?
    /// Percent of one CPU over the interval, as `top` shows it (eBPF, sched_switch).
    public var cpuPercent: Double?
    /// Nanoseconds on CPU over the interval (eBPF, sched_switch).
    public var cpuTimeNanoseconds: UInt64?
    /// Syscalls that returned over the interval (eBPF, sys_exit).
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
    public init(pid: Int32, state: ProcessState = .live) {
        self.pid = pid
        self.state = state
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pid, state, comm, command, uid, user, syscalls, totals, ppid
        case startTimeMilliseconds = "start_time_ms"
        case exitTimeMilliseconds = "exit_time_ms"
        case exitCode = "exit_code"
        case exitSignal = "exit_signal"
        case cgroupID = "cgroup_id"
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
        try container.encode(state, forKey: .state)
        try container.encode(comm, forKey: .comm)
        try container.encode(command, forKey: .command)
        try container.encode(uid, forKey: .uid)
        try container.encode(user, forKey: .user)
        try container.encode(totals, forKey: .totals)
        try container.encode(ppid, forKey: .ppid)
        try container.encode(startTimeMilliseconds, forKey: .startTimeMilliseconds)
        try container.encode(exitTimeMilliseconds, forKey: .exitTimeMilliseconds)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(exitSignal, forKey: .exitSignal)
        try container.encode(cgroupID, forKey: .cgroupID)
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
