import Foundation
import XCTest

/// The golden frames in protocol/frames, replayed against a real daemon: docs and behaviour cannot drift.
final class ProtocolContractTests: XCTestCase {
    private static let framesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol/frames")

    func testEveryGoldenRequestGetsItsGoldenReply() throws {
        let daemon = try DaemonProcess(overheadBudget: nil)
        let connection = try RawConnection(path: daemon.socketPath)
        let requests = try FileManager.default.contentsOfDirectory(atPath: Self.framesDirectory.path)
            .filter { $0.hasSuffix(".request.json") }.sorted()
        XCTAssertFalse(requests.isEmpty, "no golden frames in \(Self.framesDirectory.path)")
        for request in requests {
            let name = String(request.dropLast(".request.json".count))
            let payload = try golden(request)
            let expected = try golden("\(name).reply.json")
            try connection.send(payload)
            let reply = try XCTUnwrap(try connection.receive(), "\(name): connection closed")
            XCTAssertEqual(String(decoding: reply, as: UTF8.self), String(decoding: expected, as: UTF8.self), name)
        }
    }

    func testOversizedFrameIsRefusedBeforeItsPayloadAndOnlyThatConnectionCloses() throws {
        let daemon = try DaemonProcess(overheadBudget: nil)
        let bystander = try RawConnection(path: daemon.socketPath)
        let hostile = try RawConnection(path: daemon.socketPath)
        // Announce 4 GiB and send nothing more: the refusal must come from the header alone.
        try hostile.send(Data(), declaredLength: UInt32.max)
        let reply = try XCTUnwrap(try hostile.receive())
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: reply) as? [String: Any])
        XCTAssertEqual((object["error"] as? [String: Any])?["code"] as? Int, -32600)
        XCTAssertTrue(object["id"] is NSNull)
        XCTAssertNil(try hostile.receive(), "connection should be closed after an oversized frame")

        try bystander.send(try golden("config-get.request.json"))
        XCTAssertEqual(try bystander.receive(), try golden("config-get.reply.json"))
    }

    func testNotificationGetsNoReplyAndPipelinedRequestsAreAnsweredInOrder() throws {
        let daemon = try DaemonProcess(overheadBudget: nil)
        let connection = try RawConnection(path: daemon.socketPath)
        var burst = Data()
        for body in [
            #"{"jsonrpc":"2.0","method":"config.get"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"config.get"}"#,
            #"{"jsonrpc":"2.0","id":"two","method":"status"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"metrics.get"}"#,
        ] {
            var header = UInt32(body.utf8.count).bigEndian
            burst += Data(bytes: &header, count: 4) + Data(body.utf8)
        }
        try connection.write(burst)
        var ids: [String] = []
        for _ in 0..<3 {
            let reply = try XCTUnwrap(try connection.receive())
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: reply) as? [String: Any])
            XCTAssertNotNil(object["result"], "\(object)")
            ids.append("\(object["id"] ?? "none")")
        }
        XCTAssertEqual(ids, ["1", "two", "3"])
    }

    private func golden(_ name: String) throws -> Data {
        let data = try Data(contentsOf: Self.framesDirectory.appendingPathComponent(name))
        return data.last == UInt8(ascii: "\n") ? data.dropLast() : data
    }
}
