import SmoothTaskModel

extension LatencyHistogram {
    /// The first kernel slot exported with its own bucket: slot 9 ends at 2^10 ns (about 1 µs);
    /// shorter durations (below the cost of the measurement itself) count in that first bucket.
    public static let firstExportedSlot = 9

    /// The same counts as a Prometheus histogram in seconds: one cumulative bucket per log2 slot
    /// from ``firstExportedSlot`` to the last bounded one, `le` its end (2^(slot+1) ns; the kernel's
    /// slot holds durations below it, so a duration of exactly the bound counts one bucket higher),
    /// and the open last slot in `+Inf`.
    public var exposition: HistogramSnapshot {
        var bounds: [Double] = []
        var cumulative: [UInt64] = []
        var running: UInt64 = 0
        for slot in 0..<(Self.slotCount - 1) {
            running += slotCounts[slot]
            guard slot >= Self.firstExportedSlot, let upper = Self.upperBound(ofSlot: slot) else { continue }
            bounds.append(Double(upper) / 1e9)
            cumulative.append(running)
        }
        return HistogramSnapshot(
            upperBounds: bounds, cumulativeCounts: cumulative, count: count, sum: Double(sumNanoseconds) / 1e9
        )
    }
}
