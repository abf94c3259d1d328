import Foundation
import SmoothTaskTestSupport

/// A blocking Unix-socket connection that sends and receives raw frames, for testing the wire contract
/// without our own client in the way.
///
/// `@unchecked Sendable`: it holds only a descriptor, and each test hands a connection to one thread
/// at a time (the abuse test floods from a background task).
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let connected = withUnixSocketAddress(path) { connect(descriptor, $0, $1) }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends `payload` behind a 4-byte big-endian length header (`declaredLength` overrides the header).
    func send(_ payload: Data, declaredLength: UInt32? = nil) throws {
        var header = (declaredLength ?? UInt32(payload.count)).bigEndian
        try write(Data(bytes: &header, count: 4) + payload)
    }

    func write(_ bytes: Data) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                offset += written
            }
        }
    }

    /// Sends what the socket takes without blocking; returns the bytes taken (0 once it is full).
    func sendWithoutBlocking(_ bytes: Data) -> Int {
        bytes.withUnsafeBytes { buffer in
            max(0, Foundation.send(descriptor, buffer.baseAddress!, buffer.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)))
        }
    }

    /// Reads one frame's payload; `nil` when the daemon closed the connection.
    func receive() throws -> Data? {
        guard let header = try read(count: 4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        return try read(count: length)
    }

    private func read(count: Int) throws -> Data? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: max(count, 1))
        while data.count < count {
            let got = recv(descriptor, &chunk, count - data.count, 0)
            if got == 0 { return nil }
            guard got > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            data.append(contentsOf: chunk[0..<got])
        }
        return data
    }
}
