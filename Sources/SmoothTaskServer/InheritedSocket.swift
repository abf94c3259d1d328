#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore

/// A listening socket passed by systemd socket activation (`sd_listen_fds(3)`): `$LISTEN_PID` is
/// this process and `$LISTEN_FDS` descriptors start at 3.
public struct InheritedSocket: Sendable {
    /// The first passed descriptor, `SD_LISTEN_FDS_START`.
    static let firstDescriptor: Int32 = 3
    /// The variables systemd sets; cleared once read so child processes do not take them as theirs.
    static let variables = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"]

    /// The listening descriptor.
    public let descriptor: NIOBSDSocket.Handle
    /// The path it is bound to, for logs and status (empty for an abstract or unnamed socket).
    public let path: String

    /// The socket systemd passed, `nil` when the process was not socket-activated.
    ///
    /// - Throws: ``SocketServerError/unusableInheritedSocket(reason:)`` when systemd passed something
    ///   other than exactly one listening Unix stream socket, so a wrong `.socket` unit fails loudly
    ///   instead of falling back to binding a path systemd also owns.
    public static func fromEnvironment(_ environment: [String: String]) throws(SocketServerError) -> InheritedSocket? {
        defer { variables.forEach { unsetenv($0) } }
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
            let count = environment["LISTEN_FDS"].flatMap(Int.init), count > 0
        else { return nil }
        guard count == 1 else {
            throw .unusableInheritedSocket(reason: "systemd passed \(count) sockets; the .socket unit must have exactly one ListenStream=")
        }
        let descriptor = firstDescriptor
        guard integerOption(descriptor, SO_DOMAIN) == AF_UNIX,
            integerOption(descriptor, SO_TYPE) == Int32(SOCK_STREAM.rawValue)
        else {
            throw .unusableInheritedSocket(reason: "descriptor 3 is not a Unix stream socket; use ListenStream=/run/smoothtask.sock")
        }
        guard integerOption(descriptor, SO_ACCEPTCONN) == 1 else {
            throw .unusableInheritedSocket(reason: "descriptor 3 is not listening; use Accept=no in the .socket unit")
        }
        // systemd leaves it inheritable; the daemon starts no children that should keep it.
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return InheritedSocket(descriptor: descriptor, path: boundPath(descriptor))
    }

    private static func integerOption(_ descriptor: Int32, _ name: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, name, &value, &length) == 0 else { return nil }
        return value
    }

    private static func boundPath(_ descriptor: Int32) -> String {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let status = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { return "" }
        return withUnsafeBytes(of: &address.sun_path) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
