import Foundation
import SmoothTaskTestSupport

/// A Unix socket that accepts one connection, reads one request, writes a given reply and closes:
/// a peer that misbehaves in a way the real server never does.
final class OneReplyListener: @unchecked Sendable {
    private let descriptor: Int32
    private let done = DispatchSemaphore(value: 0)
    /// Bytes of the request read; written by the thread before `done` is signalled.
    private var received = 0

    /// Listens on `path` and answers the first connection's request with `reply` (raw bytes).
    init(path: String, reply: [UInt8]) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnixSocketAddress(path) { bind(descriptor, $0, $1) }
        guard bound == 0, listen(descriptor, 1) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        Thread { [self] in answer(reply) }.start()
    }

    private func answer(_ reply: [UInt8]) {
        let connection = accept(descriptor, nil, nil)
        var buffer = [UInt8](repeating: 0, count: 4096)
        received = max(recv(connection, &buffer, buffer.count, 0), 0)
        _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(connection)
        done.signal()
    }

    /// Waits for the exchange, closes the listener and returns the request's size in bytes.
    func finish() -> Int {
        done.wait()
        close(descriptor)
        return received
    }
}
