import Foundation
import SmoothTaskProtocol
import SmoothTaskServer
import SmoothTaskTestSupport
import XCTest

/// Binding, refusing to steal a live socket, replacing a stale one, and cleaning up at shutdown.
final class SocketLifecycleTests: XCTestCase {
    private static func fileMode(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    private static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    private static func assertServes(_ path: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await RawConnection.with(path) { connection in
            try await connection.send(frame: request(1, "status"))
            let reply = try await connection.expectReply()
            XCTAssertEqual(reply.id, .integer(1), file: file, line: line)
        }
    }

    func testSocketIsWorldConnectableAndRemovedAfterShutdown() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let mode = try XCTUnwrap(Self.fileMode(path))
            XCTAssertEqual(mode & S_IFMT, S_IFSOCK)
            XCTAssertEqual(mode & 0o777, 0o666)
            try await Self.assertServes(path)
        }
        XCTAssertNil(Self.fileMode(path), "socket file should be removed after shutdown")
    }

    func testSecondBindOnALiveSocketIsRefusedAndTheFirstKeepsServing() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let before = Self.inode(path)
            do {
                _ = try await harness.bind()
                XCTFail("second bind succeeded")
            } catch let error as SocketServerError {
                XCTAssertEqual(error, .socketInUse(path: path))
                XCTAssertEqual(
                    error.description,
                    "another smoothtaskd is serving \(path); stop it first or pass --socket"
                )
            }
            XCTAssertEqual(Self.inode(path), before, "the live socket must not be replaced")
            try await Self.assertServes(path)
        }
    }

    func testStaleSocketIsReplaced() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try StaleSocket.make(at: path)
        XCTAssertEqual(Self.fileMode(path).map { $0 & S_IFMT }, S_IFSOCK)
        try await harness.serve { _ in
            // (Not compared by inode: tmpfs hands the freed inode number straight to the new socket.)
            try await Self.assertServes(path)
        }
        XCTAssertTrue(harness.logs.records.contains { $0.message == "Removing stale socket" })
    }

    func testPathThatIsNotASocketIsRefusedAndLeftAlone() async throws {
        let directory = try TemporaryDirectory()
        let harness = try ServerHarness()
        let file = directory.file("not-a-socket")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try await harness.bind(at: file)
            XCTFail("bound over a regular file")
        } catch let error as SocketServerError {
            XCTAssertEqual(error, .notASocket(path: file))
            XCTAssertEqual(error.description, "\(file) exists and is not a socket; move it away or pass --socket")
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep me")

        let subdirectory = directory.file("dir")
        try FileManager.default.createDirectory(atPath: subdirectory, withIntermediateDirectories: false)
        do {
            _ = try await harness.bind(at: subdirectory)
            XCTFail("bound over a directory")
        } catch let error as SocketServerError {
            XCTAssertEqual(error, .notASocket(path: subdirectory))
        }
    }

    func testMissingDirectoryIsACannotBindError() async throws {
        let harness = try ServerHarness()
        let path = harness.directory.file("missing/smoothtask.sock")
        do {
            _ = try await harness.bind(at: path)
            XCTFail("bound in a missing directory")
        } catch let error as SocketServerError {
            XCTAssertEqual(error, .cannotBind(path: path, reason: "No such file or directory"))
            XCTAssertTrue(error.description.hasPrefix("cannot listen on \(path): No such file or directory;"))
        }
    }

    func testTooLongPathIsRefused() async throws {
        let harness = try ServerHarness()
        let path = harness.directory.file(String(repeating: "x", count: 120))
        do {
            _ = try await harness.bind(at: path)
            XCTFail("bound a too long path")
        } catch let error as SocketServerError {
            XCTAssertEqual(error, .pathTooLong(path: path))
        }
    }

    func testGracefulShutdownLetsTheRequestInProgressFinish() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        let handler = harness.handler
        try await harness.serve { group in
            try await RawConnection.with(path) { connection in
                try await connection.send(frame: request(1, "metrics.get", #"{"delay_ms":300,"tag":"slow"}"#))
                var started = handler.started.makeAsyncIterator()
                let tag = await started.next()
                XCTAssertEqual(tag, "slow")
                await group.triggerGracefulShutdown()

                let reply = try await connection.expectReply()
                XCTAssertEqual(reply.id, .integer(1))
                XCTAssertEqual(reply.result?.objectValue?["tag"], .string("slow"))
                // Nothing more is read after shutdown: the connection is closed.
                let after = try await connection.readFrame()
                XCTAssertNil(after)
            }
            // The listener is closed and its file removed.
            XCTAssertNil(Self.fileMode(path))
        }
    }

    /// Connections that arrive while the server stops are closed, not left to NIO's trap for an
    /// unfinished writer (which took the whole process down in about one shutdown in eight when a
    /// client connected and hung up just before it). 30 shutdowns under a stream of connects.
    func testConnectionsArrivingDuringShutdownAreClosedWithoutACrash() async throws {
        for _ in 0..<30 {
            let harness = try ServerHarness()
            let path = harness.socketPath
            try await harness.serve { _ in
                // Connect-and-hang-up on a thread of its own while the body returns and shutdown begins.
                let connector = Thread {
                    for _ in 0..<200 {
                        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                        guard descriptor >= 0 else { return }
                        let connected = withUnixSocketAddress(path) { connect(descriptor, $0, $1) }
                        close(descriptor)
                        if connected != 0 { return }
                    }
                }
                connector.start()
                try await Task.sleep(for: .milliseconds(2))
            }
        }
    }

    func testShutdownLeavesAnotherServersSocketAlone() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        let successor = try await harness.serve { _ in
            // Someone removed our file and a new daemon bound the path.
            XCTAssertEqual(unlink(path), 0)
            return try await harness.bind()
        }
        XCTAssertNotNil(Self.fileMode(path), "the successor's socket must survive the first server's shutdown")
        try await harness.serve(successor) { _ in
            try await Self.assertServes(path)
        }
        XCTAssertNil(Self.fileMode(path))
    }

    func testCancellationStopsTheServerAndRemovesItsSocket() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        let server = try await harness.bind()
        let running = Task { try await server.run() }
        try await Self.assertServes(path)
        running.cancel()
        _ = await running.result
        XCTAssertNil(Self.fileMode(path))
    }
}
