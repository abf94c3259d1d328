import Foundation
import SmoothTaskTestSupport
import XCTest

/// A stand-in for systemd's notification socket: an AF_UNIX datagram socket that collects what the
/// daemon sends to `$NOTIFY_SOCKET`.
final class NotifyListener {
    let path: String
    private let descriptor: Int32
    private(set) var messages: [String] = []

    init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let status = withUnixSocketAddress(path) { bind(descriptor, $0, $1) }
        guard descriptor >= 0, status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        // Anyone (a daemon run as nobody) may send to it.
        chmod(path, 0o666)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Receives until some message satisfies `condition` or `seconds` pass; returns that message.
    @discardableResult
    func waitFor(seconds: Double = 20, _ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        if let found = messages.first(where: condition) { return found }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            messages.append(message)
            if condition(message) { return message }
        }
        return nil
    }
}
