import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// Notifications pushed on the subscriber's connection, interleaved with replies.
final class SubscriptionTests: XCTestCase {
    func testNotificationsFlowUntilUnsubscribeAndRepliesStillCome() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "metrics.subscribe", #"{"every_ms":5}"#))
                let acknowledgement = try await connection.expectReply()
                XCTAssertEqual(acknowledgement.id, .integer(1))
                XCTAssertNotNil(acknowledgement.result)
                var sequence: [Int] = []
                while sequence.count < 3 {
                    let read = try await connection.readFrame()
                    let frame = try XCTUnwrap(read)
                    let tick = try JSONDecoder().decode(RPCIncomingNotification<TestHandler.Tick>.self, from: Data(frame.utf8))
                    XCTAssertEqual(tick.method, "test.tick")
                    XCTAssertFalse(frame.contains(#""id""#), "a notification has no id: \(frame)")
                    sequence.append(tick.params.seq)
                }
                XCTAssertEqual(sequence, sequence.sorted(), "notifications out of order")

                // A request in the middle of the stream is answered; notifications may come first.
                try await connection.send(frame: request(2, "metrics.unsubscribe"))
                var unsubscribed: RawConnection.Reply?
                while unsubscribed == nil {
                    let read = try await connection.readFrame()
                    let frame = try XCTUnwrap(read)
                    if frame.contains(#""id":2"#) {
                        unsubscribed = try JSONDecoder().decode(RawConnection.Reply.self, from: Data(frame.utf8))
                    }
                }
                XCTAssertEqual(unsubscribed?.result, .object(["subscribed": .bool(false)]))
                // After the reply nothing more is pushed: the next frame is the next reply.
                try await Task.sleep(for: .milliseconds(50))
                try await connection.send(frame: request(3, "config.get"))
                let next = try await connection.expectReply()
                XCTAssertEqual(next.id, .integer(3))
            }
        }
    }

    /// Replies and notifications go through the connection's one writer, and a replaced stream ends
    /// before the reply that replaces it: every notification after the second `metrics.subscribe`
    /// reply is the new stream's, never a late one of the old stream. (Streams are told apart by
    /// their number, not by `seq` 1: a stream buffers only its newest tick, so under load the new
    /// stream's first delivered tick can be its third.)
    func testAResubscribeReplyComesAfterTheOldStreamAndBeforeTheNewOne() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                func readTick() async throws -> (frame: String, tick: TestHandler.Tick) {
                    let read = try await connection.readFrame()
                    let frame = try XCTUnwrap(read)
                    return (frame, try JSONDecoder().decode(RPCIncomingNotification<TestHandler.Tick>.self, from: Data(frame.utf8)).params)
                }
                try await connection.send(frame: request(1, "metrics.subscribe", #"{"every_ms":1}"#))
                let subscribed = try await connection.expectReply()
                XCTAssertEqual(subscribed.id, .integer(1))
                var oldTick = try await readTick().tick
                while oldTick.seq < 5 { oldTick = try await readTick().tick }
                try await connection.send(frame: request(2, "metrics.subscribe", #"{"every_ms":1}"#))
                var framesBeforeReply = 0
                while true {
                    let read = try await connection.readFrame()
                    let frame = try XCTUnwrap(read)
                    if frame.contains(#""id":2"#) { break }
                    framesBeforeReply += 1
                }
                var newStream: Int?
                var firstNewSeq = 0
                for _ in 0..<3 {
                    let (frame, tick) = try await readTick()
                    if newStream == nil { firstNewSeq = tick.seq }
                    XCTAssertNotEqual(tick.stream, oldTick.stream, "a notification of the replaced stream came after its replacement's reply: \(frame)")
                    if let newStream { XCTAssertEqual(tick.stream, newStream, "two streams after one reply: \(frame)") }
                    newStream = tick.stream
                }
                print("resubscribe: old stream \(oldTick.stream) at seq \(oldTick.seq), \(framesBeforeReply) of its notifications before the reply; then stream \(newStream ?? 0) from seq \(firstNewSeq)")
            }
        }
    }

    func testDiscoverListsEveryMethodWithItsPrivilege() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "rpc.discover"))
                let reply = try await connection.expectReply()
                let result = try XCTUnwrap(reply.result?.objectValue)
                XCTAssertEqual(result["protocol_version"], .integer(Int64(ProtocolConstants.version)))
                guard case .array(let methods) = result["methods"] else { return XCTFail("no methods: \(result)") }
                let names = methods.compactMap { $0.objectValue?["name"] }
                XCTAssertEqual(names, Method.allCases.map { .string($0.rawValue) })
                let privileged = methods.filter { $0.objectValue?["privileged"] == .bool(true) }
                XCTAssertEqual(privileged.compactMap { $0.objectValue?["name"] }, [.string("config.set")])
            }
        }
    }
}
