#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path names (device and inode), so the server removes only the socket it created,
/// not one that a later daemon bound at the same path.
struct SocketFileIdentity: Sendable, Equatable {
    /// `st_dev`.
    var device: UInt64
    /// `st_ino`.
    var inode: UInt64

    /// What a path names, without following symlinks.
    enum Kind: Equatable {
        /// Nothing there (or `lstat` failed; binding will then say why).
        case missing
        /// A socket file, with its identity.
        case socket(SocketFileIdentity)
        /// Something else: a regular file, directory, symlink...
        case other
    }

    /// What `path` currently is.
    static func inspect(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { return .other }
        return .socket(SocketFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }
}
