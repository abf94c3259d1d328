import SmoothTaskModel

/// Disk and network bytes per second per process, from the change of its lifetime totals between
/// two collections (`processes.top` reports bytes as totals only).
struct RateTracker: Sendable {
    private struct Reading: Sendable {
        var timestamp: Int64
        var disk: UInt64?
        var net: UInt64?
    }

    private var previous: [Int32: Reading] = [:]
    private var current: [Int32: Reading] = [:]
    private var currentTimestamp: Int64?

    /// Fills in `rows`' rates from `top`, a live answer. The same collection fetched twice keeps
    /// the rates of its first fetch.
    mutating func fill(_ rows: inout [TopRow], from top: ProcessTop) {
        if top.timestamp != currentTimestamp {
            previous = current.isEmpty ? previous : current
            current = [:]
            currentTimestamp = top.timestamp
            for process in top.processes {
                let totals = process.totals
                current[process.pid] = Reading(
                    timestamp: top.timestamp,
                    disk: Self.sum(totals?.diskReadBytes, totals?.diskWriteBytes),
                    net: Self.sum(totals?.netSentBytes, totals?.netReceivedBytes)
                )
            }
        }
        for index in rows.indices {
            guard let now = current[rows[index].pid], let before = previous[rows[index].pid], now.timestamp > before.timestamp else { continue }
            let seconds = Double(now.timestamp - before.timestamp) / 1000
            rows[index].diskBytesPerSecond = Self.rate(now.disk, before.disk, seconds)
            rows[index].netBytesPerSecond = Self.rate(now.net, before.net, seconds)
        }
    }

    private static func sum(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
        guard let a, let b else { return a ?? b }
        return a &+ b
    }

    private static func rate(_ now: UInt64?, _ before: UInt64?, _ seconds: Double) -> Double? {
        guard let now, let before, now >= before, seconds > 0 else { return nil }
        return Double(now - before) / seconds
    }
}
