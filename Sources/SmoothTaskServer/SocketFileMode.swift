#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sets a socket file's mode without ever following a symlink.
///
/// `chmod(path)` follows a symlink at `path`: had one been swapped in after `bind`, the daemon
/// would make its target world-writable. A socket's own descriptor cannot change the file's mode
/// (`fchmod` on a socket does not reach the inode on Linux), and `fchmodat(AT_SYMLINK_NOFOLLOW)`
/// is not a system call Linux has before 6.6. So the file is opened with `O_PATH | O_NOFOLLOW`
/// (which opens a symlink itself rather than its target), checked to be the very socket just
/// bound (device and inode), and changed through `/proc/self/fd`, which names that inode and
/// nothing else.
enum SocketFileMode {
    /// `O_PATH` (Linux): a descriptor that only names a file, usable on a socket file.
    private static let openPathOnly: Int32 = 0o10_000_000

    /// Gives the socket file at `path` `mode`, if it is still the socket `identity` names.
    /// - Throws: ``SocketServerError/cannotSetPermissions(path:reason:)`` saying what was there instead.
    static func set(_ mode: mode_t, at path: String, expecting identity: SocketFileIdentity?) throws(SocketServerError) {
        let descriptor = open(path, openPathOnly | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotSetPermissions(path: path, reason: SystemError.text(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .cannotSetPermissions(path: path, reason: SystemError.text(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFSOCK,
            let identity, identity == SocketFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        else {
            throw .cannotSetPermissions(path: path, reason: "the file there is no longer the socket just bound; nothing was changed")
        }
        guard chmod("/proc/self/fd/\(descriptor)", mode) == 0 else {
            throw .cannotSetPermissions(path: path, reason: SystemError.text(errno))
        }
    }
}
