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
    /// before the reply that replaces it: after the second `metrics.subscribe` reply, the first
    /// notification is the new stream's first (`seq` 1), never a late one of the old stream.
    func testAResubscribeReplyComesAfterTheOldStreamAndBeforeTheNewOne() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "metrics.subscribe", #"{"every_ms":1}"#))
                let subscribed = try await connection.expectReply()
                XCTAssertEqual(subscribed.id, .integer(1))
                var oldStream = 0
                while oldStream < 5 {
                    let read = try await connection.readFrame()
                    let frame = try XCTUnwrap(read)
                    oldStream = try JSONDecoder().decode(RPCIncomingNotification<TestHandler.Tick>.self, from: Data(frame.utf8)).params.seq
                }
                try await connection.send(frame: request(2, "metrics.subscribe", #"{"every_ms":1}"#))
                var framesBeforeReply = 0
                while true {
                    let read = try await connection.readFrame()
                    let frame = try XCTUnwrap(read)
                    if frame.contains(#""id":2"#) { break }
                    framesBeforeReply += 1
                }
                let read = try await connection.readFrame()
                let first = try XCTUnwrap(read)
                let tick = try JSONDecoder().decode(RPCIncomingNotification<TestHandler.Tick>.self, from: Data(first.utf8))
                XCTAssertEqual(tick.params.seq, 1, "a notification of the replaced stream came after its replacement's reply: \(first)")
                print("resubscribe: old stream at seq \(oldStream), \(framesBeforeReply) of its notifications before the reply")
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
