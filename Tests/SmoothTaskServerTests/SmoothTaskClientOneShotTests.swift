import Foundation
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol
import XCTest

/// `SmoothTaskClient.callOnce`, the blocking one-call path `smoothtaskctl` uses, against a real
/// server: the same results, daemon errors and connection errors as a connected client.
final class SmoothTaskClientOneShotTests: XCTestCase {
    func testCallOnceDecodesTheResult() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            let status = try SmoothTaskClient.callOnce(socketPath: path, .status, as: TestHandler.StatusResult.self)
            XCTAssertEqual(status.callerUID, getuid())
            XCTAssertEqual(status.callerPID, getpid())
            let tagged = try SmoothTaskClient.callOnce(
                socketPath: path, .metricsGet, params: ["tag": "one-shot"], as: TestHandler.MetricsResult.self
            )
            XCTAssertEqual(tagged.tag, "one-shot")
        }
    }

    func testDaemonErrorsAreThrownAsRPCError() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        try await harness.serve { _ in
            do {
                _ = try SmoothTaskClient.callOnce(
                    socketPath: path, .configSet, params: EbpfConfigPatch(collectionIntervalMilliseconds: 1), as: EbpfConfig.self
                )
                XCTFail("accepted an interval of 1 ms")
            } catch let error as RPCError {
                XCTAssertEqual(error.knownCode, .invalidParams)
                XCTAssertEqual(error.data?.parameter, "collection_interval_ms")
            }
        }
    }

    /// The connection errors read as those of ``SmoothTaskClient/connect(socketPath:)``.
    func testConnectionErrorsMatchTheConnectedClient() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("smoothtask.sock")
        let stale = directory.file("stale.sock")
        try StaleSocket.make(at: stale)
        let tooLong = directory.file(String(repeating: "x", count: 120))
        for path in [missing, stale, directory.path, tooLong] {
            var expected = ""
            do {
                _ = try await SmoothTaskClient.connect(socketPath: path)
                XCTFail("connected to \(path)")
            } catch {
                expected = error.description
            }
            do {
                _ = try SmoothTaskClient.callOnce(socketPath: path, .status, as: TestHandler.StatusResult.self)
                XCTFail("called \(path)")
            } catch let error as ClientError {
                print("callOnce \(path): \(error)")
                XCTAssertEqual(error.description, expected)
            }
        }
    }

    /// A peer that hangs up without replying, or declares a frame over the limit, is reported, not waited for.
    func testAPeerThatHangsUpOrOversizesIsReported() throws {
        let directory = try TemporaryDirectory()
        for (name, reply, expected) in [
            ("hang-up", [UInt8](), ClientError.connectionClosed),
            ("oversized", [0xFF, 0xFF, 0xFF, 0xFF], ClientError.malformedReply(
                "reply frame of \(0xFFFF_FFFF) bytes exceeds the \(ProtocolConstants.maxPayloadBytes)-byte limit"
            )),
        ] {
            let path = directory.file("\(name).sock")
            let listener = try OneReplyListener(path: path, reply: reply)
            do {
                _ = try SmoothTaskClient.callOnce(socketPath: path, .status, as: TestHandler.StatusResult.self)
                XCTFail("\(name): call succeeded")
            } catch let error as ClientError {
                XCTAssertEqual(error, expected, name)
            }
            XCTAssertGreaterThan(listener.finish(), ProtocolConstants.lengthHeaderBytes, "\(name): the request frame arrived")
        }
    }
}
