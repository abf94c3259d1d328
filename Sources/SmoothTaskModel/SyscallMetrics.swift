/// Syscall figures from the eBPF `syscalls` program (`raw_syscalls/sys_exit`, counted as each syscall returns): totals
/// since attach, and what happened over the last interval.
public struct SyscallMetrics: Codable, Sendable, Equatable {
    /// The architecture whose syscall table names the numbers, e.g. `x86_64`.
    public var architecture: String
    /// Syscalls that returned, system-wide, since the program was loaded, while attached (monotonic).
    public var total: UInt64
    /// Syscalls that returned an error (-4095...-1) since load, while attached.
    public var failuresTotal: UInt64
    /// Syscalls that returned over the last interval.
    public var windowCount: UInt64
    /// Syscalls per second over the last interval.
    public var ratePerSecond: Double
    /// Failed syscalls per second over the last interval.
    public var failureRatePerSecond: Double
    /// The most frequent syscalls of the last interval, most first (at most ``topLimit``).
    public var topSyscalls: [SyscallCount]
    /// The most frequent (syscall, errno) failures of the last interval, most first (at most ``topLimit``).
    public var topFailures: [SyscallFailureCount]
    /// The processes that made the most syscalls over the last interval, most first (at most ``topLimit``).
    public var topProcesses: [ProcessEventCount]
    /// Inserts the kernel refused because a map was full, since load: a per-process count or a new
    /// failure kind went uncounted (totals still count it). Nonzero means the maps are too small here.
    public var mapFull: UInt64

    /// How many entries each top list holds at most.
    public static let topLimit = 10

    /// Creates syscall figures.
    public init(
        architecture: String, total: UInt64, failuresTotal: UInt64, windowCount: UInt64, ratePerSecond: Double,
        failureRatePerSecond: Double, topSyscalls: [SyscallCount], topFailures: [SyscallFailureCount],
        topProcesses: [ProcessEventCount], mapFull: UInt64
    ) {
        self.architecture = architecture
        self.total = total
        self.failuresTotal = failuresTotal
        self.windowCount = windowCount
        self.ratePerSecond = ratePerSecond
        self.failureRatePerSecond = failureRatePerSecond
        self.topSyscalls = topSyscalls
        self.topFailures = topFailures
        self.topProcesses = topProcesses
        self.mapFull = mapFull
    }

    enum CodingKeys: String, CodingKey {
        case architecture, total
        case failuresTotal = "failures_total"
        case windowCount = "window_count"
        case ratePerSecond = "rate_per_s"
        case failureRatePerSecond = "failure_rate_per_s"
        case topSyscalls = "top_syscalls"
        case topFailures = "top_failures"
        case topProcesses = "top_processes"
        case mapFull = "map_full"
    }
}
