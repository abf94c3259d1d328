#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The daemon's own CPU time and resident memory, for its self-metrics.
public struct SelfResourceUsage: Sendable, Equatable {
    /// User plus system CPU seconds this process has used since it started.
    public var cpuSeconds: Double
    /// Resident set size in bytes (/proc/self/statm), `nil` if it could not be read.
    public var residentBytes: UInt64?

    /// Creates a reading.
    public init(cpuSeconds: Double, residentBytes: UInt64?) {
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
    }

    /// Reads this process's usage now: getrusage(2) and /proc/self/statm.
    public static func current() -> SelfResourceUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        // statm: size resident shared ... in pages.
        let resident = (try? ProcFile.contents(of: "/proc/self/statm").get())
            .flatMap { $0.split(separator: " ").dropFirst().first }
            .flatMap { UInt64($0) }
            .map { $0 * UInt64(sysconf(Int32(_SC_PAGESIZE))) }
        return SelfResourceUsage(cpuSeconds: cpu, residentBytes: resident)
    }
}
