import Foundation
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// The client library against a real server.
final class SmoothTaskClientTests: XCTestCase {
    func testCallsDecodeResults() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let client = try await SmoothTaskClient.connect(socketPath: path)
            let status = try await client.call(.status, as: TestHandler.StatusResult.self)
            XCTAssertEqual(status.callerUID, getuid())
            XCTAssertEqual(status.callerPID, getpid())

            let config = try await client.call(.configGet, as: EbpfConfig.self)
            XCTAssertEqual(config, .defaults)

            if getuid() == 0 {
                let changed = try await client.call(
                    .configSet,
                    params: EbpfConfigPatch(collectionIntervalMilliseconds: 500),
                    as: EbpfConfig.self
                )
                XCTAssertEqual(changed.collectionIntervalMilliseconds, 500)
            }
            await client.close()
        }
    }

    func testDaemonErrorsAreThrownAsRPCError() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let client = try await SmoothTaskClient.connect(socketPath: path)
            do {
                _ = try await client.call(
                    .configSet,
                    params: EbpfConfigPatch(collectionIntervalMilliseconds: 1),
                    as: EbpfConfig.self
                )
                XCTFail("accepted an interval of 1 ms")
            } catch let error as RPCError {
                XCTAssertEqual(error.knownCode, .invalidParams)
                XCTAssertEqual(error.data?.parameter, "collection_interval_ms")
            }
            // The connection is still usable after an error reply.
            _ = try await client.call(.status, as: TestHandler.StatusResult.self)
            await client.close()
        }
    }

    func testConcurrentCallsShareOneConnection() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let client = try await SmoothTaskClient.connect(socketPath: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<50 {
                    group.addTask {
                        let tag = "call-\(n)"
                        let result = try await client.call(
                            .metricsGet,
                            params: ["tag": tag],
                            as: TestHandler.MetricsResult.self
                        )
                        XCTAssertEqual(result.tag, tag)
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    func testCallAfterCloseFailsWithConnectionClosed() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let client = try await SmoothTaskClient.connect(socketPath: path)
            await client.close()
            do {
                _ = try await client.call(.status, as: TestHandler.StatusResult.self)
                XCTFail("call succeeded after close")
            } catch let error as ClientError {
                XCTAssertEqual(error, .connectionClosed)
            }
        }
    }

    func testDaemonGoingAwayIsConnectionClosed() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        let client = try await harness.serve { _ in
            let client = try await SmoothTaskClient.connect(socketPath: path)
            _ = try await client.call(.status, as: TestHandler.StatusResult.self)
            return client
        }
        // The server has shut down and closed every connection.
        do {
            _ = try await client.call(.status, as: TestHandler.StatusResult.self)
            XCTFail("call succeeded with no daemon")
        } catch let error as ClientError {
            XCTAssertEqual(error, .connectionClosed)
            XCTAssertEqual(
                error.description,
                "smoothtaskd closed the connection before replying (did it stop or restart? try again)"
            )
        }
        await client.close()
    }

    func testCannotConnectWhenNoDaemonRuns() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("smoothtask.sock")
        do {
            _ = try await SmoothTaskClient.connect(socketPath: path)
            XCTFail("connected to nothing")
        } catch {
            XCTAssertEqual(
                error.description,
                "cannot connect to \(path): No such file or directory "
                    + "(is smoothtaskd running? start it with `systemctl start smoothtask.socket` or `sudo make run`)"
            )
            guard case .cannotConnect(path: path, reason: _) = error else { return XCTFail("\(error)") }
        }
    }

    func testCannotConnectToAStaleSocketSaysTheDaemonIsNotRunning() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("smoothtask.sock")
        try StaleSocket.make(at: path)
        do {
            _ = try await SmoothTaskClient.connect(socketPath: path)
            XCTFail("connected to a stale socket")
        } catch {
            XCTAssertTrue(
                error.description.hasPrefix(
                    "cannot connect to \(path): Connection refused (the socket file is stale: smoothtaskd is not running;"
                ),
                error.description
            )
        }
    }

    /// connect() refuses a directory or a regular file as it refuses a stale socket; the message names what the path is.
    func testCannotConnectToADirectoryOrARegularFileNamesWhatItIs() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("not-a-socket")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        for (path, kind) in [(directory.path, "a directory"), (file, "a regular file")] {
            do {
                _ = try await SmoothTaskClient.connect(socketPath: path)
                XCTFail("connected to \(kind)")
            } catch {
                print("--socket \(kind): \(error.description)")
                XCTAssertTrue(error.description.hasPrefix("cannot connect to \(path): it is \(kind), not a socket ("), error.description)
                XCTAssertFalse(error.description.contains("stale"), error.description)
            }
        }
    }
}
