/// CPU time one process (all its threads) spent on CPU during the last interval.
public struct ProcessCPUUsage: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Command name from /proc/PID/comm, or `nil` if the process exited before it was read.
    public var comm: String?
    /// Percent of one CPU, as `top` shows it: a process busy on two CPUs reads 200.
    public var cpuPercent: Double
    /// Nanoseconds on CPU during the interval.
    public var cpuTimeNanoseconds: UInt64

    /// Creates a per-process figure.
    public init(pid: Int32, comm: String?, cpuPercent: Double, cpuTimeNanoseconds: UInt64) {
        self.pid = pid
        self.comm = comm
        self.cpuPercent = cpuPercent
        self.cpuTimeNanoseconds = cpuTimeNanoseconds
    }

    enum CodingKeys: String, CodingKey {
        case pid, comm
        case cpuPercent = "cpu_percent"
        case cpuTimeNanoseconds = "cpu_time_ns"
    }
}
