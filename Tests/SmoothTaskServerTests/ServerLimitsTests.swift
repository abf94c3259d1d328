import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// The per-client limits: connection cap and frame deadline, over a real Unix socket.
final class ServerLimitsTests: XCTestCase {
    func testConnectionsOverTheCapGetBusyAndAreClosedWhileTheOthersAreServed() async throws {
        let harness = try ServerHarness(limits: ServerLimits(maxConnections: 2))
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { first in
                try await RawConnection.with(harness.socketPath) { second in
                    // Both admitted: each answers (which also proves the server took their slots).
                    try await first.send(frame: request(1, "status"))
                    _ = try await first.expectReply()
                    try await second.send(frame: request(2, "status"))
                    _ = try await second.expectReply()
                    try await RawConnection.with(harness.socketPath) { third in
                        let refusal = try await third.expectReply()
                        XCTAssertEqual(refusal.id, .null)
                        XCTAssertEqual(refusal.error?.code, RPCErrorCode.busy.rawValue)
                        XCTAssertEqual(refusal.error?.data?.name, "Busy")
                        XCTAssertEqual(
                            refusal.error?.message,
                            "smoothtaskd is serving its maximum of 2 connections; retry later"
                        )
                        let after = try await third.readFrame()
                        XCTAssertNil(after, "a refused connection should be closed")
                    }
                    try await first.send(frame: request(3, "config.get"))
                    let reply = try await first.expectReply()
                    XCTAssertEqual(reply.id, .integer(3))
                }
            }
            // The slots come back when connections close.
            try await Self.waitUntilAdmitted(harness.socketPath)
        }
    }

    func testHalfFrameIsDroppedAfterTheDeadlineAndDoesNotDelayOthers() async throws {
        let harness = try ServerHarness(limits: ServerLimits(frameDeadline: .milliseconds(300)))
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { staller in
                // The header and a few bytes of a 100-byte frame, then nothing.
                try await staller.send([0, 0, 0, 100] + Array(#"{"jsonrpc""#.utf8))
                try await RawConnection.with(harness.socketPath) { bystander in
                    for id in 1...5 {
                        try await bystander.send(frame: request(id, "status"))
                        let reply = try await bystander.expectReply()
                        XCTAssertEqual(reply.id, .integer(Int64(id)))
                    }
                }
                let refusal = try await staller.expectReply()
                XCTAssertEqual(refusal.id, .null)
                XCTAssertEqual(refusal.error?.code, -32600)
                XCTAssertEqual(refusal.error?.message, "frame incomplete 300 ms after its first byte; send each frame whole")
                let after = try await staller.readFrame()
                XCTAssertNil(after, "the stalled connection should be closed")
            }
        }
        XCTAssertTrue(harness.logs.records.contains { $0.message == "Frame refused" })
    }

    func testIdleConnectionBetweenFramesIsNotDropped() async throws {
        let harness = try ServerHarness(limits: ServerLimits(frameDeadline: .milliseconds(200)))
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "status"))
                _ = try await connection.expectReply()
                // Quiet with no partial frame: only half frames have a deadline.
                try await Task.sleep(for: .milliseconds(500))
                try await connection.send(frame: request(2, "status"))
                let reply = try await connection.expectReply()
                XCTAssertEqual(reply.id, .integer(2))
            }
        }
    }

    /// Retries until a new connection is served, as slots are released when closes complete.
    private static func waitUntilAdmitted(_ path: String) async throws {
        for _ in 0..<100 {
            let admitted = try await RawConnection.with(path) { connection in
                try await connection.send(frame: request(9, "status"))
                return try await connection.expectReply().error == nil
            }
            if admitted { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("slots were not released after their connections closed")
    }
}
