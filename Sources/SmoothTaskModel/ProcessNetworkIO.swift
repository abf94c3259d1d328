/// Bytes one process sent and received over IPv4/IPv6 sockets in a collection window (payload
/// bytes, as its send and receive calls returned them; Unix sockets are not counted).
public struct ProcessNetworkIO: Codable, Sendable, Equatable {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// Command name from /proc/PID/comm, or `nil` if the process exited before it was read.
    public var comm: String?
    /// Bytes sent.
    public var sentBytes: UInt64
    /// Bytes received.
    public var receivedBytes: UInt64
    /// Send calls that sent at least one byte.
    public var sendCalls: UInt64
    /// Receive calls that received at least one byte.
    public var receiveCalls: UInt64

    /// Creates a per-process figure.
    public init(pid: Int32, comm: String?, sentBytes: UInt64, receivedBytes: UInt64, sendCalls: UInt64, receiveCalls: UInt64) {
        self.pid = pid
        self.comm = comm
        self.sentBytes = sentBytes
        self.receivedBytes = receivedBytes
        self.sendCalls = sendCalls
        self.receiveCalls = receiveCalls
    }

    enum CodingKeys: String, CodingKey {
        case pid, comm
        case sentBytes = "sent_bytes"
        case receivedBytes = "received_bytes"
        case sendCalls = "send_calls"
        case receiveCalls = "receive_calls"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encode(comm, forKey: .comm)
        try container.encode(sentBytes, forKey: .sentBytes)
        try container.encode(receivedBytes, forKey: .receivedBytes)
        try container.encode(sendCalls, forKey: .sendCalls)
        try container.encode(receiveCalls, forKey: .receiveCalls)
    }
}
