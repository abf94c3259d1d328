/// A process's lifetime figures, as `processes.top` and `processes.exited` list them next to the
/// window columns: since the process started when SmoothTask saw it start, otherwise since
/// accounting began (``since`` says which).
///
/// A figure whose program is switched off or not attached is `nil` (JSON `null`); a program
/// switched on later counts from that moment.
public struct ProcessTotals: Codable, Sendable, Equatable {
    /// What the totals cover.
    public enum Since: String, Codable, Sendable {
        /// The whole life of the process: it started after accounting began.
        case processStart = "process_start"
        /// Only the part since accounting began (the daemon's start): the process is older.
        case accountingStart = "accounting_start"
    }

    /// Nanoseconds on CPU (eBPF, sched_switch; the exiting slice included).
    public var cpuTimeNanoseconds: UInt64?
    /// Syscalls that returned (eBPF, sys_exit; exit and exit_group never do).
    public var syscalls: UInt64?
    /// Syscalls that returned an errno (eBPF, sys_exit).
    public var failedSyscalls: UInt64?
    /// Page faults taken in user mode (eBPF, page_fault_user).
    public var userFaults: UInt64?
    /// Reclaim stalls (eBPF, direct and cgroup reclaim).
    public var reclaimStalls: UInt64?
    /// Nanoseconds stalled in reclaim (eBPF).
    public var reclaimStallNanoseconds: UInt64?
    /// Bytes of block I/O it submitted that completed, read and written (eBPF, block layer).
    public var diskReadBytes: UInt64?
    public var diskWriteBytes: UInt64?
    /// Bytes its IPv4/IPv6 sockets sent and received (eBPF, sock_send/recv_length).
    public var netSentBytes: UInt64?
    public var netReceivedBytes: UInt64?
    /// Nanoseconds its threads waited runnable for a CPU (eBPF, when run-queue latency is on).
    public var runQueueWaitNanoseconds: UInt64?
    /// Whether the totals cover its whole life.
    public var since: Since
    /// Unix epoch milliseconds from which they count: its start, or accounting's start.
    public var sinceMilliseconds: Int64

    /// Creates totals with every figure `nil`.
    public init(since: Since, sinceMilliseconds: Int64) {
        self.since = since
        self.sinceMilliseconds = sinceMilliseconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case syscalls, since
        case cpuTimeNanoseconds = "cpu_time_ns"
        case failedSyscalls = "failed_syscalls"
        case userFaults = "user_faults"
        case reclaimStalls = "reclaim_stalls"
        case reclaimStallNanoseconds = "reclaim_stall_ns"
        case diskReadBytes = "disk_read_bytes"
        case diskWriteBytes = "disk_write_bytes"
        case netSentBytes = "net_sent_bytes"
        case netReceivedBytes = "net_received_bytes"
        case runQueueWaitNanoseconds = "run_queue_wait_ns"
        case sinceMilliseconds = "since_ms"
    }

    // Every figure is written, `null` included, so a reader sees which ones are missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cpuTimeNanoseconds, forKey: .cpuTimeNanoseconds)
        try container.encode(syscalls, forKey: .syscalls)
        try container.encode(failedSyscalls, forKey: .failedSyscalls)
        try container.encode(userFaults, forKey: .userFaults)
        try container.encode(reclaimStalls, forKey: .reclaimStalls)
        try container.encode(reclaimStallNanoseconds, forKey: .reclaimStallNanoseconds)
        try container.encode(diskReadBytes, forKey: .diskReadBytes)
        try container.encode(diskWriteBytes, forKey: .diskWriteBytes)
        try container.encode(netSentBytes, forKey: .netSentBytes)
        try container.encode(netReceivedBytes, forKey: .netReceivedBytes)
        try container.encode(runQueueWaitNanoseconds, forKey: .runQueueWaitNanoseconds)
        try container.encode(since, forKey: .since)
        try container.encode(sinceMilliseconds, forKey: .sinceMilliseconds)
    }
}
