#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `processes.top` without eBPF: every process's CPU time from /proc/PID/stat (utime + stime),
/// the difference between two collections as its window, as `top` itself computes it. Only CPU is
/// known this way; the other columns stay unavailable with the eBPF reason.
///
/// Resolution is the kernel's USER_HZ tick (10 ms), so a process that ran less than a tick in the
/// window can read 0.
struct ProcProcessSampler: Sendable {
    /// Each process's utime + stime in ticks at the previous sample, by tgid.
    private var previousTicks: [UInt32: UInt64] = [:]
    /// CLOCK_BOOTTIME nanoseconds of the previous sample; `nil` before the first.
    private var previousBoottime: UInt64?

    /// The window since the previous sample and every live process's totals; a process seen for
    /// the first time counts what it ran since it started only when it started after the previous
    /// sample (otherwise its whole past would land in one window), so the first sample's window is empty.
    mutating func sample() -> ProcessWindowCounts {
        let nanosecondsPerTick = 1_000_000_000 / ProcPIDStat.ticksPerSecond
        var counts = ProcessWindowCounts(totals: [:])
        var ticks: [UInt32: UInt64] = [:]
        let sampledFrom = previousBoottime
        previousBoottime = Clock.boottimeNanoseconds()
        for pid in Self.processIDs() {
            guard let stat = ProcPIDStat.read(pid: Int32(bitPattern: pid)) else { continue }
            let now = stat.userTicks + stat.systemTicks
            ticks[pid] = now
            var total = ProcessCounters()
            total.cpuNanoseconds = now * nanosecondsPerTick
            counts.totals[pid] = total
            // Unseen before: new since the previous sample (all its CPU is in the window) or missed then.
            // The start time is cut down to a whole tick: one that ends after the previous sample began
            // may hold this start (a process started in that tick but before the sample would have been
            // listed by it, so it is not here).
            let startedSince = sampledFrom.map { (stat.startTicks + 1) * nanosecondsPerTick > $0 } ?? false
            let earlier = previousTicks[pid] ?? (startedSince ? 0 : now)
            guard now > earlier else { continue }
            var window = ProcessCounters()
            window.cpuNanoseconds = (now - earlier) * nanosecondsPerTick
            counts.live[pid] = window
        }
        previousTicks = ticks
        return counts
    }

    /// Every numeric directory of /proc: the processes (thread groups) alive now.
    static func processIDs() -> [UInt32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [UInt32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = UInt32(name) { pids.append(pid) }
        }
        return pids
    }
}
