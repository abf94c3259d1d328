#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The clocks collections are timed with.
enum Clock {
    /// CLOCK_MONOTONIC in nanoseconds: the clock `bpf_ktime_get_ns()` reads in the kernel programs.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// CPU nanoseconds the calling thread has used (CLOCK_THREAD_CPUTIME_ID): what a step of a
    /// collection costs, without the time the thread spent waiting.
    static func threadCPUNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Milliseconds since the Unix epoch.
    static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// CLOCK_BOOTTIME in nanoseconds: the clock of process start times (/proc/PID/stat, the
    /// kernel's start_boottime) and of `bpf_ktime_get_boot_ns()`.
    static func boottimeNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// The Unix epoch milliseconds of a CLOCK_BOOTTIME instant, as the wall clock reads now.
    static func epochMilliseconds(ofBoottime boottime: UInt64) -> Int64 {
        let nowBoottime = boottimeNanoseconds()
        let nowEpoch = epochMilliseconds()
        return nowEpoch - (Int64(bitPattern: nowBoottime) - Int64(bitPattern: boottime)) / 1_000_000
    }
}
