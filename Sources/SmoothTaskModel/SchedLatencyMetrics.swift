/// Run-queue latency over one collection window: how long runnable threads waited for a CPU, from
/// wakeup (or preemption) to running. `EbpfMetrics.sched_latency` on the wire.
public struct SchedLatencyMetrics: Codable, Sendable, Equatable {
    /// Every wait that ended in the window, system-wide; ``LatencyHistogram/maxNanoseconds`` is the
    /// exact longest wait.
    public var histogram: LatencyHistogram
    /// The processes whose threads waited longest in total, worst first (at most ``topProcessLimit``).
    public var topProcesses: [ProcessSchedLatency]

    /// How many processes ``topProcesses`` holds at most.
    public static let topProcessLimit = 5

    /// Creates a window's run-queue latency.
    public init(histogram: LatencyHistogram, topProcesses: [ProcessSchedLatency]) {
        self.histogram = histogram
        self.topProcesses = topProcesses
    }

    enum CodingKeys: String, CodingKey {
        case histogram
        case topProcesses = "top_processes"
    }
}
