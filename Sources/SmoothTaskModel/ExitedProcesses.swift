/// The result of `processes.exited`: recently exited processes with their lifetime totals.
public struct ExitedProcesses: Codable, Sendable, Equatable {
    /// The order applied.
    public var sort: ExitedProcessSort
    /// The list's size and completeness.
    public var list: ExitedProcessesStatus
    /// Processes that matched the filters, before the limit.
    public var matched: Int
    /// At most `limit` rows (``ProcessActivity/state`` `exited`, window columns `null`).
    public var processes: [ProcessActivity]
    /// Why a total is `null` in every row, keyed by sort name, or why the list is empty.
    public var unavailable: [String: String]

    /// Creates a result.
    public init(sort: ExitedProcessSort, list: ExitedProcessesStatus, matched: Int, processes: [ProcessActivity], unavailable: [String: String]) {
        self.sort = sort
        self.list = list
        self.matched = matched
        self.processes = processes
        self.unavailable = unavailable
    }
}
