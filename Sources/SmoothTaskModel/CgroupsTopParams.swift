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

    /// Creates params; `nil` fields take their defaults.
    public init(limit: Int? = nil, by: CgroupGrouping? = nil) {
        self.limit = limit
        self.by = by
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case limit, by
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.stringValue), listing: "cgroups.top takes")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        by = try container.decodeIfPresent(CgroupGrouping.self, forKey: .by)
    }
}
