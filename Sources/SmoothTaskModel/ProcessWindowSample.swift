/// One process in one collection window, as the history records it: who it was and what it did in
/// the window (live or exited in it), and for an exited process how it ended and its final totals.
public struct ProcessWindowSample: Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Whether it ran at the end of the window or exited in it.
    public var state: ProcessState
    /// Unix epoch milliseconds it started; `nil` when /proc no longer had it.
    public var startTimeMilliseconds: Int64?
    /// Command name; owner's effective uid; command line (exited processes: the argv captured at exec).
    public var comm: String?
    public var uid: UInt32?
    public var command: String?
    /// What it did in the window; a figure whose program did not count is `nil`.
    public var window: ProcessTotals
    /// How it ended (exited processes only).
    public var exit: ProcessExitFields?

    /// Creates a sample.
    public init(
        pid: Int32, state: ProcessState, startTimeMilliseconds: Int64?, comm: String?, uid: UInt32?, command: String? = nil,
        window: ProcessTotals, exit: ProcessExitFields? = nil
    ) {
        self.pid = pid
        self.state = state
        self.startTimeMilliseconds = startTimeMilliseconds
        self.comm = comm
        self.uid = uid
        self.command = command
        self.window = window
        self.exit = exit
    }
}
