#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOCore
import SmoothTaskModel
import SmoothTaskServer
import SmoothTaskTestSupport
import XCTest

/// The metrics endpoint may face a network (issue 15): slow, oversized and numerous clients are
/// bounded like on the control socket, and the endpoint keeps serving a well-behaved scraper.
final class MetricsHTTPServerLimitsTests: XCTestCase {
    /// Short, so a slow client is cut within the test; the daemon uses ``MetricsHTTPServer/requestDeadline``.
    private static let deadline = TimeAmount.milliseconds(500)
    private var directory: TemporaryDirectory!
    private var server: MetricsHTTPServer!
    private var path: String { directory.file("metrics.sock") }

    override func setUp() async throws {
        directory = try TemporaryDirectory()
        server = try await MetricsHTTPServer.start(
            on: .unix(path: directory.file("metrics.sock")),
            responder: { _ in ("text/plain; version=0.0.4", "smoothtask_up 1\n") },
            logger: Logger(label: "test"), deadline: Self.deadline
        )
    }

    override func tearDown() async throws {
        await server?.close()
    }

    func testASlowClientIsClosedAtTheDeadline() throws {
        let client = try BlockingClient(path: path)
        try client.send("GET /metr")
        let started = Date()
        let reply = client.readUntilClosed(timeout: 5)
        let elapsed = Date().timeIntervalSince(started)
        print("slow client: closed after \(String(format: "%.2f", elapsed)) s (deadline 0.5 s), reply \(reply.count) bytes")
        XCTAssertTrue(client.closedByPeer, "the half-sent request is never answered, and the connection is closed")
        XCTAssertEqual(reply, "")
        XCTAssertLessThan(elapsed, 3)
        try assertStillServes()
    }

    func testOversizedHeadersAndBodiesAreRefused() throws {
        let headers = try BlockingClient(path: path)
        try headers.send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Padding: " + String(repeating: "a", count: 200_000) + "\r\n\r\n")
        let headerReply = headers.readUntilClosed(timeout: 5)
        XCTAssertTrue(headerReply.hasPrefix("HTTP/1.1 400"), "200 KB of headers: \(headerReply.prefix(40))")
        XCTAssertTrue(headers.closedByPeer)

        let body = try BlockingClient(path: path)
        try body.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
        // Send until the server stops reading; it answers 413 once the cap is passed.
        let chunk = String(repeating: "b", count: 16_384)
        for _ in 0..<64 { if (try? body.send(chunk)) == nil { break } }
        let bodyReply = body.readUntilClosed(timeout: 5)
        print("oversized: headers -> \(headerReply.prefix(12)), body -> \(bodyReply.prefix(12))")
        XCTAssertTrue(bodyReply.hasPrefix("HTTP/1.1 413"), "a 100 MB body: \(bodyReply.prefix(40))")
        XCTAssertTrue(body.closedByPeer)
        try assertStillServes()
    }

    func testConnectionsOverTheCapAreRefusedAndFreedSlotsServeAgain() throws {
        // Idle connections hold every slot (each until the deadline).
        var held: [BlockingClient] = []
        for _ in 0..<MetricsHTTPServer.maxConnections { held.append(try BlockingClient(path: path)) }
        Thread.sleep(forTimeInterval: 0.1)
        let extra = try BlockingClient(path: path)
        let refused = extra.readUntilClosed(timeout: 5)
        XCTAssertTrue(refused.hasPrefix("HTTP/1.1 503"), "connection \(MetricsHTTPServer.maxConnections + 1): \(refused.prefix(40))")
        // The held ones hit the deadline and are closed; their slots serve again.
        for client in held { _ = client.readUntilClosed(timeout: 5) }
        XCTAssertTrue(held.allSatisfy(\.closedByPeer), "idle connections are closed at the deadline")
        print("many connections: \(MetricsHTTPServer.maxConnections) held, the next refused with 503, all freed at the deadline")
        try assertStillServes()
    }

    private func assertStillServes() throws {
        let client = try BlockingClient(path: path)
        try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let reply = client.readUntilClosed(timeout: 5)
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 200"), reply)
        XCTAssertTrue(reply.hasSuffix("smoothtask_up 1\n"), reply)
    }
}

/// A plain blocking Unix-socket client, to misbehave in ways an HTTP library will not.
private final class BlockingClient {
    private let fd: Int32
    private(set) var closedByPeer = false

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnixSocketAddress(path) { connect(fd, $0, $1) }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// Everything the server sends until it closes the connection or `timeout` seconds pass.
    func readUntilClosed(timeout: TimeInterval) -> String {
        var received: [UInt8] = []
        let end = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < end {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 {
                closedByPeer = true
                break
            }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
