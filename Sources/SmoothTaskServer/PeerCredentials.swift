/// Who is on the other end of a connection, as the kernel reported it (`SO_PEERCRED`) when the
/// connection was accepted. Never taken from a request.
public struct PeerCredentials: Sendable, Equatable, Hashable {
    /// The peer's process id at `connect(2)` time.
    public var pid: Int32
    /// The peer's effective user id.
    public var uid: UInt32
    /// The peer's effective primary group id.
    public var gid: UInt32

    /// Creates credentials; the server fills them from `SO_PEERCRED`, tests may make their own.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}
