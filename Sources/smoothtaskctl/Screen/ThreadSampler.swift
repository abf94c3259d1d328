#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskModel

/// The thread view of the full-screen `top`: each live process's threads from
/// /proc/PID/task/TID/stat, as htop reads them, with CPU as percent of one CPU from the change of
/// utime + stime between two samples. The daemon counts per process (its process table is keyed by
/// thread group), so the client reads threads itself; syscalls, faults, disk and network stay per
/// process and show `-` on a thread's row.
struct ThreadSampler {
    /// Each thread's utime + stime in ticks at the previous sample, by tid.
    private var previousTicks: [Int32: UInt64] = [:]
    /// CLOCK_MONOTONIC nanoseconds of the previous sample; `nil` before the first.
    private var previousNanoseconds: UInt64?
    /// USER_HZ: the unit of utime and stime.
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// One row per thread of `processes` (live ones; exited rows have no threads left); in the tree
    /// view the other threads nest under the main thread (tid = pid). CPU is `nil` on
    /// the first sample of a thread: there is no earlier figure to take it from.
    mutating func threads(of processes: [TopRow]) -> [TopRow] {
        let now = Self.monotonicNanoseconds()
        let elapsedSeconds = previousNanoseconds.map { Double(now &- $0) / 1e9 }
        previousNanoseconds = now
        var ticks: [Int32: UInt64] = [:]
        var rows: [TopRow] = []
        for process in processes where process.activity.state == .live {
            for thread in Self.threads(of: process.pid) {
                ticks[thread.tid] = thread.ticks
                var activity = ProcessActivity(pid: thread.tid, state: .live)
                activity.comm = thread.name
                activity.command = thread.name
                activity.uid = process.activity.uid
                activity.user = process.activity.user
                if let elapsedSeconds, elapsedSeconds > 0, let earlier = previousTicks[thread.tid], thread.ticks >= earlier {
                    activity.cpuPercent = Double(thread.ticks - earlier) / ticksPerSecond / elapsedSeconds * 100
                }
                var row = TopRow(activity)
                // Under the main thread (tid = pid) in the tree view; the main thread is a root.
                row.parent = thread.tid == process.pid ? nil : process.pid
                rows.append(row)
            }
        }
        previousTicks = ticks
        return rows
    }

    /// Forgets the previous sample (the view was switched off, or the rows came from history).
    mutating func reset() {
        previousTicks = [:]
        previousNanoseconds = nil
    }

    /// Every thread of `pid`: tid, name, utime + stime.
    static func threads(of pid: Int32) -> [(tid: Int32, name: String, ticks: UInt64)] {
        guard let directory = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(directory) }
        var threads: [(tid: Int32, name: String, ticks: UInt64)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let tid = Int32(name), let stat = ProcessLineage.stat(of: "/proc/\(pid)/task/\(tid)/stat") else { continue }
            threads.append((tid, stat.name, stat.ticks))
        }
        return threads.sorted { $0.tid < $1.tid }
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
