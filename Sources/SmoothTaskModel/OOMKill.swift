/// One process the OOM killer chose (oom/mark_victim).
public struct OOMKill: Codable, Sendable, Equatable {
    /// The victim's process id.
    public var pid: Int32
    /// Its command name when killed.
    public var comm: String
    /// Its owner's uid.
    public var uid: UInt32
    /// Unix epoch milliseconds of the kill (from the kernel's monotonic timestamp).
    public var timestamp: Int64

    /// Creates a record.
    public init(pid: Int32, comm: String, uid: UInt32, timestamp: Int64) {
        self.pid = pid
        self.comm = comm
        self.uid = uid
        self.timestamp = timestamp
    }
}
