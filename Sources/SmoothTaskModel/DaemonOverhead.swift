/// What running SmoothTask costs: the daemon's own CPU and memory, and each eBPF program's kernel time.
///
/// The result of the `overhead` method; `status` carries it too.
public struct DaemonOverhead: Codable, Sendable, Equatable {
    /// The daemon's process id.
    public var pid: Int32
    /// Percent of one CPU the daemon used (user + system, all threads) over the last `window_ms`:
    /// one collection interval, or the time since start before the second collection.
    public var cpuPercent: Double
    /// Milliseconds `cpu_percent` covers.
    public var windowMilliseconds: Int64
    /// Percent of one CPU the daemon used on average since it started.
    public var cpuPercentSinceStart: Double
    /// CPU seconds (user + system) the daemon used since it started.
    public var cpuTimeSeconds: Double
    /// The daemon's resident memory in bytes (/proc/self/statm).
    public var rssBytes: UInt64
    /// True when `kernel.bpf_stats_enabled` is 1, so `programs` carry the kernel's counts.
    public var bpfStatsEnabled: Bool
    /// How to read the programs' figures: an upper bound, or why they are missing and how to turn them on.
    public var bpfStatsNote: String
    /// Each loaded program's kernel cost.
    public var programs: [ProgramOverhead]
    /// The overhead budget (`max_overhead_percent`): the estimate it is kept against and what is
    /// shed; absent from daemons that predate it and before the first collection.
    public var budget: OverheadBudget?

    /// Creates an overhead report.
    public init(
        pid: Int32, cpuPercent: Double, windowMilliseconds: Int64, cpuPercentSinceStart: Double,
        cpuTimeSeconds: Double, rssBytes: UInt64, bpfStatsEnabled: Bool, bpfStatsNote: String,
        programs: [ProgramOverhead], budget: OverheadBudget? = nil
    ) {
        self.budget = budget
        self.pid = pid
        self.cpuPercent = cpuPercent
        self.windowMilliseconds = windowMilliseconds
        self.cpuPercentSinceStart = cpuPercentSinceStart
        self.cpuTimeSeconds = cpuTimeSeconds
        self.rssBytes = rssBytes
        self.bpfStatsEnabled = bpfStatsEnabled
        self.bpfStatsNote = bpfStatsNote
        self.programs = programs
    }

    enum CodingKeys: String, CodingKey {
        case pid, programs, budget
        case cpuPercent = "cpu_percent"
        case windowMilliseconds = "window_ms"
        case cpuPercentSinceStart = "cpu_percent_since_start"
        case cpuTimeSeconds = "cpu_time_s"
        case rssBytes = "rss_bytes"
        case bpfStatsEnabled = "bpf_stats_enabled"
        case bpfStatsNote = "bpf_stats_note"
    }
}
