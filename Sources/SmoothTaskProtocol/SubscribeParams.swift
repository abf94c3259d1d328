import SmoothTaskModel

/// The params of `metrics.subscribe`: how often to push and which metric groups.
public struct SubscribeParams: Codable, Sendable, Equatable {
    /// Least milliseconds between two notifications; `0` or absent pushes after every collection.
    public var intervalMilliseconds: Int?
    /// The groups to include; absent means all of them.
    public var groups: [MetricGroup]?

    /// Up to an hour apart, like the collection interval; shorter than the collection interval
    /// simply means every collection.
    public static let allowedIntervalMilliseconds = 0...3_600_000
    /// The wire names of the params, for rejecting unknown ones.
    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    /// Creates params; `nil` means every collection and every group.
    public init(intervalMilliseconds: Int? = nil, groups: [MetricGroup]? = nil) {
        self.intervalMilliseconds = intervalMilliseconds
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case intervalMilliseconds = "interval_ms"
        case groups
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intervalMilliseconds = try container.decodeIfPresent(Int.self, forKey: .intervalMilliseconds)
        // Decoded by hand so an unknown name is reported against `groups`, with the valid ones.
        groups = try container.decodeIfPresent([String].self, forKey: .groups)?.map { name in
            guard let group = MetricGroup(rawValue: name) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: [CodingKeys.groups],
                    debugDescription: "unknown metric group '\(name)'; groups: "
                        + MetricGroup.allCases.map(\.rawValue).joined(separator: ", ")
                ))
            }
            return group
        }
    }

    /// The params after validation: the interval in range, the groups (all when absent) deduplicated.
    public func validated() throws(RPCError) -> SubscribeResult {
        let interval = intervalMilliseconds ?? 0
        guard Self.allowedIntervalMilliseconds.contains(interval) else {
            throw RPCError(
                .invalidParams,
                "interval_ms must be \(Self.allowedIntervalMilliseconds.lowerBound)..."
                    + "\(Self.allowedIntervalMilliseconds.upperBound), 0 for every collection (got \(interval))",
                parameter: CodingKeys.intervalMilliseconds.stringValue
            )
        }
        let wanted = Set(groups ?? MetricGroup.allCases)
        return SubscribeResult(intervalMilliseconds: interval, groups: MetricGroup.allCases.filter(wanted.contains))
    }
}
