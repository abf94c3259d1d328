import Foundation

/// Samples a process's resident memory every 50 ms on a thread of its own and reports the peaks.
final class ResidentSampler: @unchecked Sendable {
    /// Resident bytes: all of them (VmRSS) and the anonymous part (RssAnon), from /proc/PID/status.
    struct Reading {
        var total = 0
        var anonymous = 0
    }

    private let pid: Int32
    private let lock = NSLock()
    private var peak = Reading()
    private var running = true

    init(pid: Int32) {
        self.pid = pid
        let thread = Thread { [self] in loop() }
        thread.start()
    }

    static func read(pid: Int32) -> Reading {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kilobytes(_ field: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        return Reading(total: kilobytes("VmRSS:"), anonymous: kilobytes("RssAnon:"))
    }

    private func loop() {
        while lock.withLock({ running }) {
            let now = Self.read(pid: pid)
            lock.withLock {
                peak.total = max(peak.total, now.total)
                peak.anonymous = max(peak.anonymous, now.anonymous)
            }
            usleep(50_000)
        }
    }

    /// Stops sampling and returns the peaks.
    func stop() -> Reading {
        lock.withLock {
            running = false
            return peak
        }
    }
}
