/// One non-empty slot of a ``LatencyHistogram`` on the wire.
public struct LatencyBucket: Codable, Sendable, Equatable {
    /// The shortest duration the bucket holds, in nanoseconds.
    public var fromNanoseconds: UInt64
    /// The first duration past the bucket, in nanoseconds; `nil` for the open-ended last bucket.
    public var toNanoseconds: UInt64?
    /// How many durations fell in it.
    public var count: UInt64

    /// Creates a bucket.
    public init(fromNanoseconds: UInt64, toNanoseconds: UInt64?, count: UInt64) {
        self.fromNanoseconds = fromNanoseconds
        self.toNanoseconds = toNanoseconds
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case count
        case fromNanoseconds = "from_ns"
        case toNanoseconds = "to_ns"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fromNanoseconds, forKey: .fromNanoseconds)
        try container.encode(toNanoseconds, forKey: .toNanoseconds)
        try container.encode(count, forKey: .count)
    }
}
