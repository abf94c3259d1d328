#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// A Unix stream socket used with blocking system calls on the calling thread, for
/// ``SmoothTaskClient/callOnce(socketPath:_:params:as:)``; errors are the ``ClientError``s a
/// connected ``SmoothTaskClient`` reports for the same failures.
struct BlockingConnection: ~Copyable {
    private let descriptor: Int32

    /// Connects to the socket at `path`.
    init(path: String) throws(ClientError) {
        let address: SocketAddress
        do {
            address = try SocketAddress(unixDomainSocketPath: path)
        } catch {
            throw .pathTooLong(path)
        }
        #if canImport(Darwin)
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard descriptor >= 0 else { throw .cannotConnect(path: path, errno: errno) }
        var status: Int32
        repeat {
            status = address.withSockAddr { pointer, size in connect(descriptor, pointer, socklen_t(size)) }
        } while status != 0 && errno == EINTR
        guard status == 0 else {
            let code = errno
            close(descriptor)
            throw .cannotConnect(path: path, errno: code)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Writes all of `bytes`; a daemon that hung up is ``ClientError/connectionClosed`` (no SIGPIPE).
    func sendAll(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .connectionClosed
            }
            offset += written
        }
    }

    /// Reads exactly `count` bytes; the daemon closing first is ``ClientError/connectionClosed``.
    func receive(count: Int) throws(ClientError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = buffer.withUnsafeMutableBytes { bytes in
                recv(descriptor, bytes.baseAddress! + offset, bytes.count - offset, 0)
            }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { throw .connectionClosed }
            offset += received
        }
        return buffer
    }
}
