/// The params of `cgroups.top`: `{"limit": 10, "by": "unit"}`, both optional.
public struct CgroupsTopParams: Codable, Sendable, Equatable {
    /// The most rows a reply holds: replies stay small whatever the number of cgroups.
    public static let maximumLimit = 1000
    /// Rows returned when `limit` is absent.
    public static let defaultLimit = 10

    /// How many rows to return, 1...``maximumLimit``.
    public var limit: Int?
    /// How to group; per cgroup when absent.
    public var by: CgroupGrouping?
    /// Unix epoch milliseconds: answer from the history, CPU summed over the collections in from...to.
    public var from: Int64?
    public var to: Int64?

    /// Creates params; `nil` fields take their defaults.
    public init(limit: Int? = nil, by: CgroupGrouping? = nil, from: Int64? = nil, to: Int64? = nil) {
        self.from = from
        self.to = to
        self.limit = limit
        self.by = by
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case limit, by, from, to
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.stringValue), listing: "cgroups.top takes")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        by = try container.decodeIfPresent(CgroupGrouping.self, forKey: .by)
        from = try container.decodeIfPresent(Int64.self, forKey: .from)
        to = try container.decodeIfPresent(Int64.self, forKey: .to)
    }

    /// True when the params ask for a recorded range rather than the latest window.
    public var asksForHistory: Bool { from != nil || to != nil }
}
