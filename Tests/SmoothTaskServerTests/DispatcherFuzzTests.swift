import Foundation
import Logging
import NIOCore
import NIOEmbedded
import SmoothTaskModel
import SmoothTaskProtocol
@testable import SmoothTaskServer
import SmoothTaskTestSupport
import XCTest

/// Seeded random input through the frame decoder and the dispatcher: nothing crashes, every reply is
/// a well-formed JSON-RPC 2.0 reply with a known code, and no refused request changes the configuration.
///
/// Runs ``defaultCases`` cases in the suite; `make fuzz` runs many more (`SMOOTHTASK_FUZZ_CASES`),
/// and `SMOOTHTASK_FUZZ_SEED` replays a run.
final class DispatcherFuzzTests: XCTestCase {
    /// Enough to hit every generator branch many times in a few seconds.
    static let defaultCases = 10_000

    func testRandomStreamsGetWellFormedRepliesAndChangeNothingTheyShouldNot() async throws {
        let environment = ProcessInfo.processInfo.environment
        let cases = environment["SMOOTHTASK_FUZZ_CASES"].flatMap(Int.init) ?? Self.defaultCases
        let seed = environment["SMOOTHTASK_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_0003
        var random = SeededGenerator(seed: seed)
        let handler = TestHandler()
        // No such group: only root's privileged calls get through, so every change is attributable.
        let dispatcher = RequestDispatcher(handler: handler, authorizer: Authorizer(adminGroup: "smoothtask-fuzz-no-such-group"))
        let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
        let knownCodes = Set(RPCErrorCode.allCases.map(\.rawValue))
        var frames = 0
        var replies = 0
        var refusedFrames = 0
        for index in 0..<cases {
            let input = FuzzInput.stream(using: &random)
            let caller = Bool.random(using: &random)
                ? PeerCredentials(pid: 1, uid: 0, gid: 0) : PeerCredentials(pid: 2, uid: 65534, gid: 65534)
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(frameDeadline: .seconds(10))))
            do {
                try channel.writeInbound(ByteBuffer(bytes: input))
            } catch is FrameError {
                refusedFrames += 1
            }
            while let payload = try channel.readInbound(as: ByteBuffer.self) {
                frames += 1
                let before = await handler.config
                let reply = await dispatcher.reply(to: payload, caller: caller, logger: logger)
                let after = await handler.config
                guard let frame = reply.frame else { continue }
                replies += 1
                let context = "case \(index) (seed \(seed)): \(String(decoding: payload.readableBytesView, as: UTF8.self).prefix(200))"
                let object = try XCTUnwrap(
                    try JSONSerialization.jsonObject(with: Self.withRepresentableID(frame)) as? [String: Any],
                    "reply not an object, \(context)"
                )
                XCTAssertEqual(object["jsonrpc"] as? String, "2.0", context)
                XCTAssertNotNil(object["id"], context)
                XCTAssertTrue((object["result"] == nil) != (object["error"] == nil), "exactly one of result/error, \(context)")
                if let error = object["error"] as? [String: Any] {
                    XCTAssertTrue(knownCodes.contains(error["code"] as? Int ?? 0), "unknown code, \(context)")
                    XCTAssertEqual(before, after, "a refused request changed the configuration, \(context)")
                } else if caller.uid != 0 {
                    XCTAssertEqual(before, after, "an unprivileged caller changed the configuration, \(context)")
                }
            }
            _ = try? channel.finish()
        }
        let changes = await handler.calls.filter { $0.method == .configSet }
        XCTAssertTrue(changes.allSatisfy { $0.callerUID == 0 }, "only root may reach config.set")
        print("fuzz: \(cases) streams, \(frames) frames, \(replies) replies, \(refusedFrames) oversized headers; all clean (seed \(seed))")
    }

    /// `frame` with a numeric id replaced by 0: ids are echoed exactly, and one too large for a
    /// Double (`1e2929`) is valid JSON that JSONSerialization cannot represent.
    static func withRepresentableID(_ frame: [UInt8]) -> Data {
        var bytes = frame
        if let id = RawRequestID.numberRange(in: frame) { bytes.replaceSubrange(id, with: Array("0".utf8)) }
        return Data(bytes)
    }
}
