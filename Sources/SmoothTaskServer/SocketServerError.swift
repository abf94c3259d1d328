/// Why the daemon cannot serve on its socket; each description is one line saying what to do.
public enum SocketServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Something already accepts connections on the path: another daemon is running.
    case socketInUse(path: String)
    /// The path exists and is not a socket; it is left alone.
    case notASocket(path: String)
    /// The path does not fit in `sockaddr_un` (107 bytes on Linux).
    case pathTooLong(path: String)
    /// A socket exists at the path but could not be probed (connect failed other than "refused").
    case cannotProbe(path: String, reason: String)
    /// A stale socket (nothing listening) could not be removed.
    case cannotRemoveStale(path: String, reason: String)
    /// `bind(2)`/`listen(2)` failed, e.g. the directory does not exist or is not writable.
    case cannotBind(path: String, reason: String)
    /// The socket was bound but could not be made connectable by every user (`chmod 0666`).
    case cannotSetPermissions(path: String, reason: String)
    /// systemd socket activation passed descriptors the daemon cannot serve on.
    case unusableInheritedSocket(reason: String)

    public var description: String {
        switch self {
        case .socketInUse(let path):
            "another smoothtaskd is serving \(path); stop it first or pass --socket"
        case .notASocket(let path):
            "\(path) exists and is not a socket; move it away or pass --socket"
        case .pathTooLong(let path):
            "socket path \(path) is longer than a Unix socket allows (107 bytes); pass a shorter --socket"
        case .cannotProbe(let path, let reason):
            "cannot tell whether \(path) is in use: \(reason); remove it if no smoothtaskd runs, or pass --socket"
        case .cannotRemoveStale(let path, let reason):
            "cannot remove stale socket \(path): \(reason); remove it by hand or pass --socket"
        case .cannotBind(let path, let reason):
            "cannot listen on \(path): \(reason); check that its directory exists and is writable, or pass --socket"
        case .cannotSetPermissions(let path, let reason):
            "cannot make \(path) connectable by all users (chmod 0666): \(reason); check the file system, or pass --socket"
        case .unusableInheritedSocket(let reason):
            "cannot serve on the socket systemd passed: \(reason)"
        }
    }
}
