#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Creates the listening socket's descriptor and binds it to its path, for `ServerBootstrap.bind(_:)`
/// to adopt (NIO then calls `listen`).
///
/// NIO can bind a Unix path itself, but a server channel it bound unlinks whatever socket is at
/// that path when it closes, which would delete a successor daemon's socket. An adopted descriptor
/// is left alone, and ``SocketServer`` removes the file only if it is still the one it created.
enum BoundSocket {
    /// A `SOCK_STREAM | SOCK_CLOEXEC` Unix socket bound to `path`; the path must be free.
    static func make(at path: String) throws(SocketServerError) -> NIOBSDSocket.Handle {
        let address: SocketAddress
        do {
            address = try SocketAddress(unixDomainSocketPath: path)
        } catch {
            throw .pathTooLong(path: path)
        }
        #if canImport(Darwin)
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard descriptor >= 0 else {
            throw .cannotBind(path: path, reason: SystemError.text(errno))
        }
        let status = address.withSockAddr { pointer, size in bind(descriptor, pointer, socklen_t(size)) }
        guard status == 0 else {
            let code = errno
            close(descriptor)
            if code == EADDRINUSE { throw .socketInUse(path: path) }
            throw .cannotBind(path: path, reason: SystemError.text(code))
        }
        return descriptor
    }
}
