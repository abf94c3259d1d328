/// One process's run-queue waits over a collection window (all its threads together).
public struct ProcessSchedLatency: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Command name from /proc/PID/comm, or `nil` if the process exited before it was read.
    public var comm: String?
    /// Its waits that ended in the window; no exact maximum (``LatencyHistogram/maxNanoseconds`` is `nil`).
    public var histogram: LatencyHistogram

    /// Creates a per-process figure.
    public init(pid: Int32, comm: String?, histogram: LatencyHistogram) {
        self.pid = pid
        self.comm = comm
        self.histogram = histogram
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encode(comm, forKey: .comm)
        try container.encode(histogram, forKey: .histogram)
    }
}
