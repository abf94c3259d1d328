/// A histogram's state: cumulative bucket counts, total count and sum of the observations.
public struct HistogramSnapshot: Codable, Sendable, Equatable {
    /// Upper bounds of the buckets, ascending, without +Inf (which is ``count``).
    public var upperBounds: [Double]
    /// Observations at or below each bound, cumulative, one per ``upperBounds`` entry.
    public var cumulativeCounts: [UInt64]
    /// Every observation.
    public var count: UInt64
    /// The sum of every observation, in the family's unit.
    public var sum: Double

    /// Creates a snapshot.
    public init(upperBounds: [Double], cumulativeCounts: [UInt64], count: UInt64, sum: Double) {
        self.upperBounds = upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.count = count
        self.sum = sum
    }

    enum CodingKeys: String, CodingKey {
        case upperBounds = "upper_bounds"
        case cumulativeCounts = "cumulative_counts"
        case count, sum
    }
}
