/// The kernel's `struct ucred` (`<sys/socket.h>`), which `getsockopt(SO_PEERCRED)` fills.
///
/// Glibc only declares `struct ucred` under `_GNU_SOURCE`, so Swift may not see it; this mirror has
/// the same three 4-byte fields in the same order (12 bytes, checked by a test).
struct UCred: Sendable {
    /// `pid_t pid`.
    var pid: Int32 = 0
    /// `uid_t uid`.
    var uid: UInt32 = 0
    /// `gid_t gid`.
    var gid: UInt32 = 0

    /// The credentials in the server's own type.
    var peerCredentials: PeerCredentials { PeerCredentials(pid: pid, uid: uid, gid: gid) }
}
