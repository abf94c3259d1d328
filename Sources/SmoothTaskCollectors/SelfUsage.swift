#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// This process's own CPU time and resident memory at one moment, for the daemon to report what it costs.
public struct SelfUsage: Sendable, Equatable {
    /// CPU nanoseconds (user + system) used by every thread of this process so far (getrusage).
    public var cpuNanoseconds: UInt64
    /// Resident memory in bytes (/proc/self/statm's second field times the page size).
    public var rssBytes: UInt64
    /// CLOCK_MONOTONIC nanoseconds when it was read.
    public var takenAtNanoseconds: UInt64

    /// Reads this process's usage now.
    /// - Throws: when /proc/self/statm cannot be read or parsed.
    public static func read() throws(ProcfsError) -> SelfUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = nanoseconds(usage.ru_utime) + nanoseconds(usage.ru_stime)
        let path = "/proc/self/statm"
        let statm = try ProcFile.contents(of: path).get()
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let residentPages = UInt64(fields[1]) else {
            throw ProcfsError(path: path, detail: "no resident page count in \"\(statm.prefix(80))\"")
        }
        return SelfUsage(
            cpuNanoseconds: cpu,
            rssBytes: residentPages * UInt64(sysconf(Int32(_SC_PAGESIZE))),
            takenAtNanoseconds: Clock.monotonicNanoseconds()
        )
    }

    /// Percent of one CPU used between `earlier` and this reading; 0 for an empty window.
    public func cpuPercent(since earlier: SelfUsage) -> Double {
        let window = takenAtNanoseconds.subtractingClamped(earlier.takenAtNanoseconds)
        guard window > 0 else { return 0 }
        return Double(cpuNanoseconds.subtractingClamped(earlier.cpuNanoseconds)) / Double(window) * 100
    }

    private static func nanoseconds(_ time: timeval) -> UInt64 {
        UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1000
    }
}
