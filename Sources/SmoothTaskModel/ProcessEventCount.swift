/// How many events (syscalls, page faults) one process caused over the last interval.
public struct ProcessEventCount: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Command name from /proc/PID/comm, or `nil` if the process exited before it was read.
    public var comm: String?
    /// Events during the interval.
    public var count: UInt64
    /// Events per second.
    public var ratePerSecond: Double

    /// Creates a per-process count.
    public init(pid: Int32, comm: String?, count: UInt64, ratePerSecond: Double) {
        self.pid = pid
        self.comm = comm
        self.count = count
        self.ratePerSecond = ratePerSecond
    }

    enum CodingKeys: String, CodingKey {
        case pid, comm, count
        case ratePerSecond = "rate_per_s"
    }
}
