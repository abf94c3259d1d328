/// Bytes one process moved to and from block devices over a collection window: charged to the
/// process that submitted the I/O (buffered writes are charged to whoever writes them back).
public struct ProcessDiskIO: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Command name from /proc/PID/comm, or `nil` if the process exited before it was read.
    public var comm: String?
    /// Bytes read from block devices.
    public var readBytes: UInt64
    /// Bytes written to block devices.
    public var writeBytes: UInt64

    /// Creates a per-process figure.
    public init(pid: Int32, comm: String?, readBytes: UInt64, writeBytes: UInt64) {
        self.pid = pid
        self.comm = comm
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }

    enum CodingKeys: String, CodingKey {
        case pid, comm
        case readBytes = "read_bytes"
        case writeBytes = "write_bytes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encode(comm, forKey: .comm)
        try container.encode(readBytes, forKey: .readBytes)
        try container.encode(writeBytes, forKey: .writeBytes)
    }
}
