import NIOCore
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// Plain requests answered from a ready result on the event loop (issue 17), over a real socket:
/// same bytes as the usual path, order kept behind a request in flight, anything else handled as before.
final class ReadyReplyTests: XCTestCase {
    private static let readyJSON = #"{"tag":"ready"}"#

    private func harness() throws -> ServerHarness {
        try ServerHarness(readyMetrics: ByteBuffer(string: Self.readyJSON))
    }

    func testPlainRequestIsAnsweredFromTheReadyBytesWithoutTheHandler() async throws {
        let harness = try harness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                for (id, idJSON) in [(0, "7"), (1, #""a/b c""#), (2, "null"), (3, "-1.5e3")] {
                    try await connection.send(frame: #" { "method" : "metrics.get", "id":\#(idJSON),"jsonrpc":"2.0" } "#)
                    let frame = try await connection.readFrame()
                    XCTAssertEqual(frame, #"{"id":\#(idJSON),"jsonrpc":"2.0","result":\#(Self.readyJSON)}"#, "request \(id)")
                }
            }
        }
        let calls = await harness.handler.calls
        XCTAssertEqual(calls, [], "a plain metrics.get never reaches the handler")
    }

    func testRequestsThatAreNotPlainGoThroughTheHandler() async throws {
        let harness = try harness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                // Params with members, an escaped id, and a notification (no reply) followed by status.
                try await connection.send(frame: request(1, "metrics.get", #"{"tag":"slow"}"#))
                let slow = try await connection.expectReply()
                XCTAssertEqual(slow.result?.objectValue?["tag"], .string("slow"))
                try await connection.send(frame: #"{"jsonrpc":"2.0","id":"\u0041","method":"metrics.get"}"#)
                let escaped = try await connection.expectReply()
                XCTAssertEqual(escaped.id, .string("A"))
                try await connection.send(frame: #"{"jsonrpc":"2.0","method":"metrics.get"}"#)
                try await connection.send(frame: request(4, "status"))
                let status = try await connection.expectReply()
                XCTAssertEqual(status.id, .integer(4))
            }
        }
        let methods = await harness.handler.calls.map(\.method)
        XCTAssertEqual(methods, [.metricsGet, .metricsGet, .metricsGet, .status])
    }

    func testReadyReplyWaitsBehindARequestInFlight() async throws {
        let harness = try harness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                // The first is slow; the plain ones behind it must not overtake it.
                let bytes = RawConnection.frame(request(1, "metrics.get", #"{"delay_ms":200,"tag":"a"}"#))
                    + RawConnection.frame(request(2, "metrics.get"))
                    + RawConnection.frame(request(3, "metrics.get"))
                try await connection.send(bytes)
                var replies: [RawConnection.Reply] = []
                for _ in 0..<3 { replies.append(try await connection.expectReply()) }
                XCTAssertEqual(replies.map(\.id), [.integer(1), .integer(2), .integer(3)])
                // Frames that arrived behind a request in flight take its path, which answers in order.
                XCTAssertEqual(replies.first?.result?.objectValue?["tag"], .string("a"))
                // Once the connection is idle again, the next plain request is answered from the ready bytes.
                try await connection.send(frame: request(4, "metrics.get"))
                let idle = try await connection.expectReply()
                XCTAssertEqual(idle.result?.objectValue?["tag"], .string("ready"))
            }
        }
    }
}
