/// The result of `processes.top`: the processes active in the latest collection interval, ordered
/// and filtered as asked.
public struct ProcessTop: Codable, Sendable, Equatable {
    /// The order applied.
    public var sort: ProcessTopSort
    /// Milliseconds the per-interval columns cover.
    public var windowMilliseconds: Int64
    /// Unix epoch milliseconds of the collection the rows come from.
    public var timestamp: Int64
    /// Processes that matched the filters, before the limit.
    public var matched: Int
    /// At most `limit` rows, largest first by ``sort``; ties by pid.
    public var processes: [ProcessActivity]
    /// Why a column is `null` in every row, keyed by column (`cpu`, `syscalls`, `faults`, `reclaim`).
    public var unavailable: [String: String]
    /// `true` when the rows come from the history: their window columns are sums over ``from``...``to``
    /// (``windowMilliseconds`` is the time the recorded collections cover); absent on live answers.
    public var recorded: Bool?
    /// Unix epoch milliseconds of the range asked for (recorded answers only).
    public var from: Int64?
    public var to: Int64?
    /// Where the rows' figures came from: `ebpf` (the process table the programs keep) or `procfs`
    /// (/proc/PID/stat, CPU only, while eBPF cannot run); absent when there are no figures yet and
    /// on recorded answers.
    public var source: MetricSource?

    /// Creates a result.
    public init(
        sort: ProcessTopSort, windowMilliseconds: Int64, timestamp: Int64, matched: Int, processes: [ProcessActivity],
        unavailable: [String: String], source: MetricSource? = nil
    ) {
        self.source = source
        self.sort = sort
        self.windowMilliseconds = windowMilliseconds
        self.timestamp = timestamp
        self.matched = matched
        self.processes = processes
        self.unavailable = unavailable
    }

    enum CodingKeys: String, CodingKey {
        case sort, timestamp, matched, processes, unavailable, recorded, from, to, source
        case windowMilliseconds = "window_ms"
    }
}
