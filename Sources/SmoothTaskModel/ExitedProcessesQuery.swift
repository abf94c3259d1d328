/// The params of `processes.exited`: which recently exited processes, in what order, how many.
///
/// Decoding refuses unknown keys, an unknown sort and a limit outside 1...``maximumLimit``, naming
/// the parameter at fault.
public struct ExitedProcessesQuery: Codable, Sendable, Equatable {
    /// Rows returned when `limit` is absent.
    public static let defaultLimit = 20
    /// Most rows one reply carries, as `processes.top`: a row is about 1 KiB of JSON, and a reply
    /// is cut to fit its 1 MiB frame anyway (the cut is noted).
    public static let maximumLimit = 1000
    /// The order; newest exit first when absent.
    public var sort: ExitedProcessSort
    /// Rows to return, 1...``maximumLimit``.
    public var limit: Int
    /// Only this process id.
    public var pid: Int32?
    /// Only processes owned by this user: a name, or a uid in decimal.
    public var user: String?
    /// Only processes whose command name or command line contains this text (case-sensitive).
    public var comm: String?

    /// Creates a query.
    public init(sort: ExitedProcessSort = .exitTime, limit: Int = defaultLimit, pid: Int32? = nil, user: String? = nil, comm: String? = nil) {
        self.sort = sort
        self.limit = limit
        self.pid = pid
        self.user = user
        self.comm = comm
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sort, limit, pid, user, comm
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.stringValue), listing: "processes.exited takes")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sort = try container.decodeChoice(ExitedProcessSort.self, forKey: .sort, default: .exitTime)
        limit = try container.decodeLimit(forKey: .limit, default: Self.defaultLimit, maximum: Self.maximumLimit)
        pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        comm = try container.decodeIfPresent(String.self, forKey: .comm)
    }
}
