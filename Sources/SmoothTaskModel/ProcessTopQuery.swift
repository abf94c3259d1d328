/// The params of `processes.top`: which processes, in what order, how many.
///
/// Decoding refuses unknown keys, an unknown sort and a limit outside 1...``maximumLimit``, naming
/// the parameter at fault.
public struct ProcessTopQuery: Codable, Sendable, Equatable {
    /// Rows returned when `limit` is absent.
    public static let defaultLimit = 20
    /// Most rows one reply carries: each row costs a few procfs reads, and more than a screenful of
    /// processes is a job for a filter.
    public static let maximumLimit = 1000

    /// The column to order by; `cpu` when absent.
    public var sort: ProcessTopSort
    /// Rows to return, 1...``maximumLimit``.
    public var limit: Int
    /// Only this process id.
    public var pid: Int32?
    /// Only processes owned by this user: a name, or a uid in decimal.
    public var user: String?
    /// Only processes whose command name contains this text (case-sensitive).
    public var comm: String?
    /// Order by the lifetime total of ``sort``'s column instead of the window's.
    public var total: Bool
    /// List the processes that exited in the window too (true when absent).
    public var includeExited: Bool
    /// Unix epoch milliseconds: with ``to``, answer from the history, each process's figures summed
    /// over the collections recorded in from...to instead of the latest window.
    public var from: Int64?
    public var to: Int64?

    /// Creates a query.
    public init(
        sort: ProcessTopSort = .cpu, limit: Int = defaultLimit, pid: Int32? = nil, user: String? = nil, comm: String? = nil,
        total: Bool = false, includeExited: Bool = true, from: Int64? = nil, to: Int64? = nil
    ) {
        self.from = from
        self.to = to
        self.sort = sort
        self.limit = limit
        self.pid = pid
        self.user = user
        self.comm = comm
        self.total = total
        self.includeExited = includeExited
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sort, limit, pid, user, comm, total, from, to
        case includeExited = "include_exited"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.stringValue), listing: "processes.top takes")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sort = try container.decodeChoice(ProcessTopSort.self, forKey: .sort, default: .cpu)
        limit = try container.decodeLimit(forKey: .limit, default: Self.defaultLimit, maximum: Self.maximumLimit)
        pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        comm = try container.decodeIfPresent(String.self, forKey: .comm)
        total = try container.decodeIfPresent(Bool.self, forKey: .total) ?? false
        includeExited = try container.decodeIfPresent(Bool.self, forKey: .includeExited) ?? true
        from = try container.decodeIfPresent(Int64.self, forKey: .from)
        to = try container.decodeIfPresent(Int64.self, forKey: .to)
        if let from, let to, from > to {
            throw DecodingError.dataCorruptedError(forKey: .to, in: container, debugDescription: "to must not be before from (got \(from)...\(to))")
        }
    }

    /// True when the query asks for a recorded range rather than the latest window.
    public var asksForHistory: Bool { from != nil || to != nil }
}
