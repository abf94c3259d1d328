import SmoothTaskTestSupport
import Foundation
import Logging
import NIOCore
@testable import SmoothTaskServer
import SmoothTaskProtocol
import XCTest

/// Audit lines of privileged calls: bounded in size always, in rate for refused calls per uid, and
/// never dropped for accepted calls.
final class PrivilegedCallAuditTests: XCTestCase {
    private let nobody = PeerCredentials(pid: 4242, uid: 65534, gid: 65534)
    private let root = PeerCredentials(pid: 1, uid: 0, gid: 0)

    private func dispatcher(_ limits: PrivilegedCallAudit.Limits = .init()) -> RequestDispatcher {
        RequestDispatcher(
            handler: TestHandler(), authorizer: Authorizer(adminGroup: "smoothtask-audit-no-such-group"),
            audit: PrivilegedCallAudit(limits: limits)
        )
    }

    private func configSet(padding: Int, id: Int = 1) -> ByteBuffer {
        let filler = String(repeating: "x", count: padding)
        return ByteBuffer(string: #"{"jsonrpc":"2.0","id":\#(id),"method":"config.set","params":{"collection_interval_ms":500,"junk":"\#(filler)"}}"#)
    }

    private func lines(_ logs: CapturedLogs, _ message: String) -> [CapturedLogs.Record] {
        logs.records.filter { $0.message == message }
    }

    func testRefusedLargestParamsAreLoggedBoundedWithTheirSize() async {
        let logs = CapturedLogs()
        let dispatcher = dispatcher()
        // The largest request that is parsed at all (larger ones are refused before any method runs).
        let padding = JSONStructureLimit.maxRequestBytes - 200
        for id in 1...3 {
            _ = await dispatcher.reply(to: configSet(padding: padding, id: id), caller: nobody, logger: logs.logger())
        }
        let refused = lines(logs, "Privileged call refused")
        XCTAssertEqual(refused.count, 3)
        let logged = logs.records.reduce(0) { total, record in
            total + record.message.utf8.count + record.metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        }
        print("3 refused 64 KiB config.set calls logged \(logged) bytes in \(logs.records.count) records")
        XCTAssertLessThan(logged, 3 * 2048, "audit lines must stay small")
        for record in refused {
            let params = try? XCTUnwrap(record.metadata["rpc.params"])
            XCTAssertLessThanOrEqual(params?.utf8.count ?? .max, AuditText.maxQuotedBytes + 32)
            XCTAssertTrue(params?.hasPrefix(#"{"collection_interval_ms":500,"junk":"xxx"#) ?? false, params ?? "")
            XCTAssertEqual(record.metadata["rpc.params.bytes"], "\(padding + 40)")
            XCTAssertEqual(record.metadata["peer.uid"], "65534")
        }
    }

    func testRefusedFloodIsSuppressedPerUidAndSummarizedOnce() async throws {
        let logs = CapturedLogs()
        let dispatcher = dispatcher(.init(burst: 5, refillInterval: .seconds(3600), summaryDelay: .milliseconds(300)))
        let other = PeerCredentials(pid: 4343, uid: 1000, gid: 1000)
        for id in 1...50 {
            _ = await dispatcher.reply(to: configSet(padding: 10, id: id), caller: nobody, logger: logs.logger())
        }
        // Another user's refusals have their own bucket.
        _ = await dispatcher.reply(to: configSet(padding: 10), caller: other, logger: logs.logger())
        let refused = lines(logs, "Privileged call refused")
        XCTAssertEqual(refused.filter { $0.metadata["peer.uid"] == "65534" }.count, 5)
        XCTAssertEqual(refused.filter { $0.metadata["peer.uid"] == "1000" }.count, 1)
        let deadline = Date().addingTimeInterval(10)
        while lines(logs, "Refused privileged calls suppressed").isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let summaries = lines(logs, "Refused privileged calls suppressed")
        XCTAssertEqual(summaries.count, 1)
        XCTAssertEqual(summaries.first?.metadata["suppressed.count"], "45")
        XCTAssertEqual(summaries.first?.metadata["peer.uid"], "65534")
        XCTAssertEqual(summaries.first?.metadata["suppressed.text"], "45 refused calls from uid 65534 suppressed")
        print("50 refused calls from one uid: \(refused.count - 1) lines + \(summaries.count) summary")
    }

    func testAcceptedCallsAreNeverSuppressedEvenDuringAFlood() async {
        let logs = CapturedLogs()
        let dispatcher = dispatcher(.init(burst: 2, refillInterval: .seconds(3600), summaryDelay: .seconds(3600)))
        for id in 1...40 {
            _ = await dispatcher.reply(to: configSet(padding: 10, id: id), caller: nobody, logger: logs.logger())
            _ = await dispatcher.reply(to: configSet(padding: 4000, id: id), caller: root, logger: logs.logger())
        }
        let accepted = lines(logs, "Privileged call accepted")
        XCTAssertEqual(accepted.count, 40)
        XCTAssertTrue(accepted.allSatisfy { ($0.metadata["rpc.params"]?.utf8.count ?? .max) <= AuditText.maxQuotedBytes + 32 })
        XCTAssertEqual(lines(logs, "Privileged call refused").count, 2)
    }

    func testBoundedTextKeepsShortTextAndCutsAtACharacterBoundary() {
        XCTAssertEqual(AuditText.bounded("short"), "short")
        let text = String(repeating: "é", count: 300)  // 600 bytes, 2 per character
        let cut = AuditText.bounded(text, limit: 5)
        XCTAssertEqual(cut, "éé…[600 bytes]")
    }
}
