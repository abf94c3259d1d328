/// Counts durations into fixed buckets, for the daemon's latency self-metrics.
public struct DurationHistogram: Sendable {
    /// Bucket upper bounds in seconds, 100 µs to 10 s: a collection or scrape normally takes
    /// 0.1–10 ms; the top buckets catch stalls.
    public static let defaultUpperBounds: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
    ]

    /// The histogram so far.
    public private(set) var snapshot: HistogramSnapshot

    /// Creates an empty histogram over `upperBounds` (seconds, ascending).
    public init(upperBounds: [Double] = defaultUpperBounds) {
        snapshot = HistogramSnapshot(
            upperBounds: upperBounds, cumulativeCounts: Array(repeating: 0, count: upperBounds.count), count: 0, sum: 0
        )
    }

    /// Counts one observation of `duration`.
    public mutating func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        for index in snapshot.upperBounds.indices where value <= snapshot.upperBounds[index] {
            snapshot.cumulativeCounts[index] += 1
        }
        snapshot.count += 1
        snapshot.sum += value
    }
}
