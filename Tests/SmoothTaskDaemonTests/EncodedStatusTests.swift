import Foundation
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// `status` encoded once per collection or configuration change, with the uptime written per reply.
final class EncodedStatusTests: XCTestCase {
    /// A user under hidepid who sees only their own processes.
    private let restricted = Viewer(caller: PeerCredentials(pid: 1, uid: 65534, gid: 65534), rules: ProcVisibility(hidesOtherUsers: true, exemptGID: nil))

    private func decodeStatus(_ json: some Sequence<UInt8>) throws -> DaemonStatus {
        try JSONDecoder().decode(DaemonStatus.self, from: Data(json))
    }

    /// Two replies within one collection: the same status but for the uptime, which moves, and each
    /// reply byte for byte what encoding that status whole gives.
    func testRepliesShareOneEncodingAndCarryTheUptimeOfNow() async throws {
        let state = DaemonState.procfsOnly(label: "encoded-status-test")
        await state.collect()
        let firstReply = try await state.encodedStatus(for: .root)
        try await Task.sleep(for: .milliseconds(20))
        let secondReply = try await state.encodedStatus(for: .root)
        let (first, second) = (try XCTUnwrap(firstReply).value, try XCTUnwrap(secondReply).value)
        for reply in [first, second] {
            let status = try XCTUnwrap(reply.value as? DaemonStatus)
            XCTAssertEqual(Array(reply.json), Array(try RPCCoding.encoder.encode(status)), "a reply is not its status encoded whole")
        }
        var (earlier, later) = (try decodeStatus(first.json), try decodeStatus(second.json))
        XCTAssertGreaterThanOrEqual(later.uptimeSeconds - earlier.uptimeSeconds, 0.02, "the uptime did not move between the replies")
        later.uptimeSeconds = earlier.uptimeSeconds
        XCTAssertEqual(earlier, later, "two replies within one collection differ beyond the uptime")

        let ready = try XCTUnwrap(state.readyStatus(for: .root), "nothing ready for the event loops after a status").value
        let readyStatus = try decodeStatus(ready.readableBytesView)
        XCTAssertGreaterThanOrEqual(readyStatus.uptimeSeconds, later.uptimeSeconds)
        earlier.uptimeSeconds = readyStatus.uptimeSeconds
        XCTAssertEqual(readyStatus, earlier, "the event loops' reply is not the encoded status")
    }

    /// A caller under hidepid never gets the shared encoding: their status is redacted per request.
    func testARestrictedCallerIsNotServedTheSharedEncoding() async throws {
        let state = DaemonState.procfsOnly(label: "encoded-status-test")
        await state.collect()
        _ = try await state.encodedStatus(for: .root)
        let restrictedEncoding = try await state.encodedStatus(for: restricted)
        XCTAssertNil(restrictedEncoding)
        XCTAssertNil(state.readyStatus(for: restricted))
        XCTAssertNotNil(state.readyStatus(for: .root))
    }

    /// A configuration change shows in the very next status, not after the next collection.
    func testAConfigurationChangeDropsTheEncoding() async throws {
        let state = DaemonState.procfsOnly(label: "encoded-status-test")
        await state.collect()
        _ = try await state.encodedStatus(for: .root)
        _ = try await state.apply(EbpfConfigPatch(collectionIntervalMilliseconds: 2_500))
        XCTAssertNil(state.readyStatus(for: .root), "the status encoded before the change is still served")
        let afterReply = try await state.encodedStatus(for: .root)
        let after = try XCTUnwrap(afterReply).value
        XCTAssertEqual(try decodeStatus(after.json).config.collectionIntervalMilliseconds, 2_500)
    }

    /// Polled, the next collection's status is ready when it lands; encoded ahead and never read,
    /// the one after is not encoded ahead (metrics.get's JSON follows the same rule).
    func testEncodingAheadFollowsWhetherAnyoneAsks() async throws {
        let state = DaemonState.procfsOnly(label: "encoded-status-test")
        await state.collect()
        _ = try await state.encodedStatus(for: .root)
        _ = try await state.encodedMetrics(for: .root)
        await state.collect()
        await state.collect()
        XCTAssertNil(state.readyStatus(for: .root), "status is still encoded ahead although nobody read the last one")
        XCTAssertNil(state.readyMetrics(for: .root), "metrics are still encoded ahead although nobody read the last ones")
    }

    /// The uptime is found only where it cannot be mistaken: once, as a key.
    func testTheUptimeIsFoundOnlyWhereUnambiguous() {
        func value(_ text: String) -> String? {
            let bytes = Array(text.utf8)
            return EncodedStatus.uptimeValue(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        XCTAssertEqual(value(#"{"pid":1,"uptime_s":12.5,"version":"1"}"#), "12.5")
        XCTAssertEqual(value(#"{"name":"\"uptime_s\":3","uptime_s":7}"#), "7")
        XCTAssertNil(value(#"{"by_name":{"uptime_s":1},"uptime_s":2}"#))
        XCTAssertNil(value(#"{"pid":1}"#))
    }
}
