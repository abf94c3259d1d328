#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import SmoothTaskModel

/// The one directory a Unix-socket `prometheus_listen` may name a socket in.
///
/// Binding a Unix endpoint removes a stale socket at the path and creates a socket file there that
/// every local user may connect to (mode 0666). Anywhere else, an admin-group member could make the
/// daemon delete a socket or create one in a directory it has no business in, and a symlink planted
/// in a directory others can write could redirect the bind or the `chmod`. So an endpoint path must
/// name a file directly inside this directory, and the directory must be safe to work in: a real
/// directory (no symlink anywhere on its path), owned by the daemon's user and writable by nobody
/// else, with every directory above it owned by root or that user and not writable by others
/// unless sticky (like /tmp). Then nobody but the daemon can put anything at the socket's path.
public struct MetricsSocketDirectory: Sendable, Equatable {
    /// The default: systemd's `RuntimeDirectory=smoothtask` (created 0755 for the service's user).
    public static let defaultPath = "/run/smoothtask"
    /// Mode of the directory when the daemon has to create it.
    static let directoryMode: mode_t = 0o755

    /// The directory, absolute, without a trailing slash.
    public let path: String

    /// The directory at `path`; nothing is checked until ``admit(_:)``.
    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Returns if a socket may be bound at `socketPath`; creates the directory if it is missing.
    /// - Throws: a ``ConfigValidationError`` naming `prometheus_listen` and this directory, saying
    ///   what is wrong (outside it, `.` or `..` in the path, a symlink on the way, the directory
    ///   unsafe) and what to do.
    public func admit(_ socketPath: String) throws(ConfigValidationError) {
        let components = socketPath.split(separator: "/", omittingEmptySubsequences: false)
        guard socketPath.hasPrefix("/"), !components.dropFirst().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw refusal("\(socketPath) must be a plain absolute path, without '.', '..' or empty components")
        }
        guard (socketPath as NSString).deletingLastPathComponent == path else {
            throw refusal("\(socketPath) is outside \(path): Unix endpoints may only be created directly inside it")
        }
        try checkDirectory()
        var info = stat()
        if lstat(socketPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            throw refusal("\(socketPath) is a symbolic link; remove it (the endpoint never follows one)")
        }
    }

    /// Checks that the directory is one only the daemon can write, creating it if missing.
    private func checkDirectory() throws(ConfigValidationError) {
        guard path.hasPrefix("/") else { throw refusal("the directory \(path) is not an absolute path") }
        var info = stat()
        if lstat(path, &info) != 0, errno == ENOENT {
            // Only the last component: a missing parent means a mistyped option, not a fresh boot.
            if mkdir(path, Self.directoryMode) != 0, errno != EEXIST {
                throw refusal("cannot create the directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        guard let resolved = realpath(path, nil) else {
            throw refusal("cannot resolve the directory \(path): \(String(cString: strerror(errno)))")
        }
        let real = String(cString: resolved)
        free(resolved)
        guard real == path else {
            throw refusal("the directory \(path) leads through a symbolic link (it resolves to \(real)); name the real directory")
        }
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw refusal("\(path) is not a directory")
        }
        let user = geteuid()
        guard info.st_uid == user, info.st_mode & 0o022 == 0 else {
            throw refusal(
                "the directory \(path) must be owned by uid \(user) (smoothtaskd's user) and writable by it alone "
                    + "(it is owned by uid \(info.st_uid), mode \(String(info.st_mode & 0o7777, radix: 8)))"
            )
        }
        var ancestor = (path as NSString).deletingLastPathComponent
        while true {
            guard lstat(ancestor, &info) == 0 else { throw refusal("cannot inspect \(ancestor): \(String(cString: strerror(errno)))") }
            let sticky = info.st_mode & mode_t(S_ISVTX) != 0
            guard info.st_uid == 0 || info.st_uid == user, info.st_mode & 0o022 == 0 || sticky else {
                throw refusal(
                    "\(ancestor), above \(path), may be changed by other users (owned by uid \(info.st_uid), mode "
                        + "\(String(info.st_mode & 0o7777, radix: 8))); choose a directory under root-owned ones"
                )
            }
            if ancestor == "/" { break }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
    }

    private func refusal(_ problem: String) -> ConfigValidationError {
        ConfigValidationError(
            field: MetricsListenAddress.configKey,
            message: "\(MetricsListenAddress.configKey) refused: \(problem). A Unix-socket endpoint must be a socket "
                + "directly inside \(path) (smoothtaskd --metrics-socket-directory), e.g. \(path)/metrics.sock"
        )
    }
}
