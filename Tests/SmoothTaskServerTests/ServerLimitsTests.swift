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

    func testSilentConnectionIsClosedAfterTheIdleTimeoutButASubscriberIsNot() async throws {
        let harness = try ServerHarness(limits: ServerLimits(idleTimeout: .milliseconds(300)))
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { subscriber in
                try await subscriber.send(frame: request(1, "metrics.subscribe", #"{"every_ms":700}"#))
                try await RawConnection.with(harness.socketPath) { silent in
                    try await silent.send(frame: request(2, "config.get"))
                    _ = try await silent.expectReply()
                    let started = ContinuousClock.now
                    let after = try await silent.readFrame()
                    XCTAssertNil(after, "a silent connection should be closed after the idle timeout")
                    XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
                }
                // Two notifications 700 ms apart: well past the idle timeout, and still connected.
                var notifications = 0
                while notifications < 3 {
                    let frame = try await subscriber.readFrame()
                    XCTAssertNotNil(frame, "the subscriber was closed")
                    if frame?.contains("test.tick") == true { notifications += 1 }
                    if frame == nil { break }
                }
            }
        }
    }

    func testLargeFramesWaitForRoomInTheSharedBudgetAndGiveItBack() async throws {
        // Large enough to need room, small enough to be parsed (JSONStructureLimit.maxRequestBytes).
        let frameBytes = 48 << 10
        let harness = try ServerHarness(limits: ServerLimits(largeFrameBudgetBytes: 80 << 10))
        // A valid request padded with spaces to a large frame.
        let large = request(5, "config.get") + String(repeating: " ", count: frameBytes - request(5, "config.get").utf8.count)
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { holder in
                // The header and a little of a large frame: its room is taken until it completes.
                try await holder.send(Array(RawConnection.frame(large).prefix(100)))
                // Sent is not read: give the server time to see the header before the next frame races it.
                try await Task.sleep(for: .milliseconds(300))
                try await RawConnection.with(harness.socketPath) { refused in
                    try await refused.send(frame: large)
                    let refusal = try await refused.expectReply()
                    XCTAssertEqual(refusal.error?.code, RPCErrorCode.busy.rawValue)
                    XCTAssertEqual(
                        refusal.error?.message,
                        "no room for a \(frameBytes)-byte frame now: the daemon's memory for large requests is in use; "
                            + "retry later (requests up to 16384 bytes are always accepted)"
                    )
                    let after = try await refused.readFrame()
                    XCTAssertNil(after, "a frame refused for room closes its connection")
                }
                // Small requests never need room.
                try await RawConnection.with(harness.socketPath) { small in
                    try await small.send(frame: request(6, "config.get"))
                    let reply = try await small.expectReply()
                    XCTAssertNil(reply.error)
                }
                try await holder.send(Array(RawConnection.frame(large).dropFirst(100)))
                let answered = try await holder.expectReply()
                XCTAssertEqual(answered.id, .integer(5))
                // Answered: its room is back, so the same large frame fits twice more in a row.
                for id in 7...8 {
                    try await holder.send(frame: request(id, "config.get") + String(repeating: " ", count: frameBytes - 60))
                    let reply = try await holder.expectReply()
                    XCTAssertEqual(reply.id, .integer(Int64(id)))
                }
            }
        }
    }

    func testConnectionCapIsLoweredToFitTheDescriptorLimit() {
        let fitted = ServerLimits().fitted(toDescriptorLimit: 1024, otherListeners: 16)
        XCTAssertEqual(fitted.limits.maxConnections, 1024 - ServerLimits.descriptorReserve - 16)
        XCTAssertEqual(fitted.limits.reservedPrivilegedConnections, ServerLimits.defaultReservedPrivilegedConnections)
        XCTAssertNotNil(fitted.note)
        let roomy = ServerLimits().fitted(toDescriptorLimit: 1 << 20, otherListeners: 16)
        XCTAssertEqual(roomy.limits, ServerLimits())
        XCTAssertNil(roomy.note)
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
