import Foundation
import NIOCore

/// A socket file nobody listens on, as a crashed daemon leaves behind.
enum StaleSocket {
    struct CouldNotCreate: Error {
        var errno: Int32
    }

    static func make(at path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CouldNotCreate(errno: errno) }
        defer { close(descriptor) }
        let address = try SocketAddress(unixDomainSocketPath: path)
        guard address.withSockAddr({ bind(descriptor, $0, socklen_t($1)) }) == 0 else {
            throw CouldNotCreate(errno: errno)
        }
    }
}
