import SmoothTaskModel

/// The result of `metrics.subscribe`: the subscription as the daemon will serve it.
public struct SubscribeResult: Codable, Sendable, Equatable {
    /// Least milliseconds between two notifications; `0` is every collection.
    public var intervalMilliseconds: Int
    /// The groups each notification carries.
    public var groups: [MetricGroup]

    /// Creates a result.
    public init(intervalMilliseconds: Int, groups: [MetricGroup]) {
        self.intervalMilliseconds = intervalMilliseconds
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey {
        case intervalMilliseconds = "interval_ms"
        case groups
    }
}
