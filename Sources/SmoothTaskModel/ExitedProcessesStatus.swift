/// The recently exited list and how complete it is, in `status` and `processes.exited`.
public struct ExitedProcessesStatus: Codable, Sendable, Equatable {
    /// Processes held now.
    public var held: Int
    /// The most it holds (`smoothtaskd --exited-processes`); the oldest make room.
    public var capacity: Int
    /// Bytes of daemon memory the list takes.
    public var memoryBytes: Int
    /// Exits received since the daemon started.
    public var seen: UInt64
    /// Exits whose record was lost: the kernel's ring buffer or the daemon's inbox was full. Their
    /// processes are missing from the list and their last window.
    public var dropped: UInt64
    /// Times a process could not get an entry in the kernel's process table (it was full): what it
    /// did then is in no per-process figure.
    public var tableFull: UInt64

    /// Creates a status.
    public init(held: Int, capacity: Int, memoryBytes: Int, seen: UInt64, dropped: UInt64, tableFull: UInt64 = 0) {
        self.held = held
        self.capacity = capacity
        self.memoryBytes = memoryBytes
        self.seen = seen
        self.dropped = dropped
        self.tableFull = tableFull
    }

    enum CodingKeys: String, CodingKey {
        case held, capacity, seen, dropped
        case memoryBytes = "memory_bytes"
        case tableFull = "table_full"
    }
}
