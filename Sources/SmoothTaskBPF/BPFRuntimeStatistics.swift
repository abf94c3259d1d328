#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the kernel has counted for one loaded program: how often it ran and for how long.
///
/// The kernel counts only while `kernel.bpf_stats_enabled` is 1 (or someone holds a
/// `BPF_ENABLE_STATS` descriptor); switching that on needs CAP_SYS_ADMIN, so SmoothTask only reads
/// it. The run time includes the kernel's own timing bookkeeping (two clock reads per run, tens of
/// nanoseconds), so it is an upper bound of what the program body costs.
public struct BPFRuntimeStatistics: Sendable, Equatable {
    /// The sysctl that says whether the kernel is counting.
    public static let sysctlPath = "/proc/sys/kernel/bpf_stats_enabled"

    /// Runs counted since the program was loaded, while statistics were on.
    public var runCount: UInt64
    /// Nanoseconds spent in those runs, bookkeeping included.
    public var runTimeNanoseconds: UInt64

    /// Creates statistics from the kernel's two counters.
    public init(runCount: UInt64, runTimeNanoseconds: UInt64) {
        self.runCount = runCount
        self.runTimeNanoseconds = runTimeNanoseconds
    }

    /// Nanoseconds per run, an upper bound; `nil` before the first counted run.
    public var nanosecondsPerRun: Double? {
        runCount > 0 ? Double(runTimeNanoseconds) / Double(runCount) : nil
    }

    /// True when `kernel.bpf_stats_enabled` is 1, so the counters are moving; false when it is 0 or
    /// cannot be read (kernels before 5.8 lack it).
    public static func kernelKeepsStatistics() -> Bool {
        let descriptor = open(sysctlPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var digit: UInt8 = 0
        return read(descriptor, &digit, 1) == 1 && digit == UInt8(ascii: "1")
    }
}
