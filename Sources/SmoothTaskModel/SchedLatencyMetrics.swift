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

    /// Creates a window's run-queue latency; each process's percentiles are bounded by the system's
    /// exact maximum, which no wait of theirs can exceed.
    public init(histogram: LatencyHistogram, topProcesses: [ProcessSchedLatency]) {
        self.histogram = histogram
        self.topProcesses = topProcesses.map { process in
            var bounded = process
            bounded.histogram.ceilingNanoseconds = histogram.maxNanoseconds
            return bounded
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            histogram: try container.decode(LatencyHistogram.self, forKey: .histogram),
            topProcesses: try container.decode([ProcessSchedLatency].self, forKey: .topProcesses)
        )
    }

    enum CodingKeys: String, CodingKey {
        case histogram
        case topProcesses = "top_processes"
    }
}
