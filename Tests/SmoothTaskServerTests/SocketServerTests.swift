import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// The server's request handling over a real Unix socket.
final class SocketServerTests: XCTestCase {
    func testSeveralRequestsOnOneConnectionAreAnsweredInOrder() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "status"))
                let status = try await connection.readReply()
                XCTAssertEqual(status?.jsonrpc, "2.0")
                XCTAssertEqual(status?.id, .integer(1))
                XCTAssertEqual(status?.result?.objectValue?["caller_uid"], .integer(Int64(getuid())))
                XCTAssertEqual(status?.result?.objectValue?["caller_pid"], .integer(Int64(getpid())))

                try await connection.send(frame: request(2, "config.get"))
                let config = try await connection.readReply()
                XCTAssertEqual(config?.id, .integer(2))
                XCTAssertEqual(config?.result?.objectValue?["collection_interval_ms"], .integer(1000))

                try await connection.send(frame: #"{"jsonrpc":"2.0","id":"three","method":"metrics.get"}"#)
                let reply = try await connection.expectReply()
                XCTAssertEqual(reply.id, .string("three"))
            }
        }
    }

    func testPipelinedFramesInOneWriteAreAnsweredInOrder() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                // The first is slow: a server answering out of order would send 2 and 3 first.
                let bytes = RawConnection.frame(request(1, "metrics.get", #"{"delay_ms":200,"tag":"a"}"#))
                    + RawConnection.frame(request(2, "metrics.get", #"{"tag":"b"}"#))
                    + RawConnection.frame(request(3, "status"))
                try await connection.send(bytes)
                var ids: [JSONValue] = []
                for _ in 0..<3 {
                    ids.append(try await connection.expectReply().id)
                }
                XCTAssertEqual(ids, [.integer(1), .integer(2), .integer(3)])
            }
        }
    }

    func testOversizedFrameGetsInvalidRequestThenCloseWhileOtherConnectionsWork() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { bystander in
                try await bystander.send(frame: request(1, "status"))
                let reply = try await bystander.expectReply()
                XCTAssertEqual(reply.id, .integer(1))

                try await RawConnection.with(harness.socketPath) { offender in
                    // A request first, to check it is still answered before the refusal.
                    try await offender.send(frame: request(7, "status"))
                    let reply = try await offender.expectReply()
                    XCTAssertEqual(reply.id, .integer(7))
                    // Claim 4 GiB; send only a little of it.
                    try await offender.send([0xFF, 0xFF, 0xFF, 0xFF] + Array(repeating: 0x20, count: 64))
                    let refusal = try await offender.expectReply()
                    XCTAssertEqual(refusal.id, .null)
                    XCTAssertEqual(refusal.error?.code, -32600)
                    XCTAssertEqual(refusal.error?.data?.name, "InvalidRequest")
                    XCTAssertEqual(
                        refusal.error?.message,
                        "frame of 4294967295 bytes exceeds the 1048576-byte limit"
                    )
                    let after = try await offender.readFrame()
                    XCTAssertNil(after, "connection should be closed after the refusal")
                }

                try await bystander.send(frame: request(2, "status"))
                let second = try await bystander.expectReply()
                XCTAssertEqual(second.id, .integer(2))
            }
            // And new connections are still accepted.
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(3, "status"))
                let reply = try await connection.expectReply()
                XCTAssertEqual(reply.id, .integer(3))
            }
        }
    }

    func testFrameJustOverTheLimitIsRefused() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                var header: [UInt8] = []
                let length = UInt32(ProtocolConstants.maxPayloadBytes + 1)
                header = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                try await connection.send(header)
                let refusal = try await connection.expectReply()
                XCTAssertEqual(refusal.error?.code, -32600)
                XCTAssertEqual(refusal.error?.message, "frame of 1048577 bytes exceeds the 1048576-byte limit")
            }
        }
    }

    func testClientThatStopsSendingStillGetsItsReplies() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(
                    RawConnection.frame(request(1, "metrics.get", #"{"delay_ms":50}"#))
                        + RawConnection.frame(request(2, "status"))
                )
                try await connection.finishSending()
                let first = try await connection.expectReply()
                let second = try await connection.expectReply()
                XCTAssertEqual([first.id, second.id], [.integer(1), .integer(2)])
                let end = try await connection.readFrame()
                XCTAssertNil(end, "the server closes once it has answered everything")
            }
        }
    }

    func testNotificationGetsNoReplyButIsHandled() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: #"{"jsonrpc":"2.0","method":"status"}"#)
                // Even a failing notification gets no reply.
                try await connection.send(frame: #"{"jsonrpc":"2.0","method":"no.such.method"}"#)
                try await connection.send(frame: request(2, "config.get"))
                let reply = try await connection.expectReply()
                XCTAssertEqual(reply.id, .integer(2), "the first reply must be for id 2")
            }
            let calls = await harness.handler.calls
            XCTAssertEqual(calls.map(\.method), [.status, .configGet])
            XCTAssertEqual(calls.first?.id, nil)
        }
    }

    func testUnknownMethodListsTheKnownOnes() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(5, "metrics.all"))
                let reply = try await connection.expectReply()
                XCTAssertEqual(reply.id, .integer(5))
                XCTAssertEqual(reply.error?.code, -32601)
                XCTAssertEqual(reply.error?.data?.name, "MethodNotFound")
                XCTAssertEqual(
                    reply.error?.message,
                    "unknown method 'metrics.all'; known methods: status, metrics.get, config.get, config.set, processes.top, processes.exited, overhead, rpc.discover, metrics.subscribe, metrics.unsubscribe, cgroups.top, diagnostics, history.info, metrics.families"
                )
                XCTAssertNil(reply.result)
            }
            let calls = await harness.handler.calls
            XCTAssertEqual(calls, [])
        }
    }

    func testMalformedRequestsAreAnsweredAndTheConnectionKept() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: "{not json")
                let parse = try await connection.expectReply()
                XCTAssertEqual(parse.error?.code, -32700)
                XCTAssertEqual(parse.id, .null)

                try await connection.send([0, 0, 0, 0])  // empty frame
                let empty = try await connection.expectReply()
                XCTAssertEqual(empty.error?.code, -32700)

                try await connection.send(frame: #"[{"jsonrpc":"2.0","id":1,"method":"status"}]"#)
                let batch = try await connection.expectReply()
                XCTAssertEqual(batch.error?.code, -32600)

                try await connection.send(frame: #"{"jsonrpc":"2.0","id":{"a":1},"method":"status"}"#)
                let badID = try await connection.expectReply()
                XCTAssertEqual(badID.error?.code, -32600)
                XCTAssertEqual(badID.id, .null)

                try await connection.send(frame: #"{"jsonrpc":"2.0","id":4,"method":"status","params":[1]}"#)
                let badParams = try await connection.expectReply()
                XCTAssertEqual(badParams.error?.code, -32602)
                XCTAssertEqual(badParams.id, .integer(4))

                try await connection.send(frame: request(9, "status"))
                let last = try await connection.expectReply()
                XCTAssertEqual(last.id, .integer(9))
            }
        }
    }

    func testHandlerErrorsAreReplied() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "config.set", #"{"collection_interval_ms":5}"#))
                let range = try await connection.expectReply()
                XCTAssertEqual(range.error?.code, -32602)
                XCTAssertEqual(range.error?.data?.parameter, "collection_interval_ms")
                XCTAssertEqual(range.error?.message, "collection_interval_ms must be 10...3600000 (got 5)")

                try await connection.send(frame: request(2, "config.set", #"{"enable_cpu_metric":false}"#))
                let unknown = try await connection.expectReply()
                XCTAssertEqual(unknown.error?.code, -32602)
                XCTAssertEqual(unknown.error?.data?.parameter, "enable_cpu_metric")
            }
            let config = await harness.handler.config
            XCTAssertEqual(config, .defaults)
        }
    }

    func testPrivilegedMethodAsRootIsAcceptedAndLogged() async throws {
        try XCTSkipUnless(getuid() == 0, "needs root: run the suite as root")
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await RawConnection.with(harness.socketPath) { connection in
                try await connection.send(frame: request(1, "config.set", #"{"enable_cpu_metrics":false}"#))
                let reply = try await connection.expectReply()
                XCTAssertNil(reply.error)
                XCTAssertEqual(reply.result?.objectValue?["enable_cpu_metrics"], .bool(false))
            }
            let config = await harness.handler.config
            XCTAssertFalse(config.enableCPUMetrics)
        }
        let accepted = harness.logs.records.filter { $0.message == "Privileged call accepted" }
        XCTAssertEqual(accepted.count, 1)
        XCTAssertEqual(accepted.first?.metadata["peer.uid"], "0")
        XCTAssertEqual(accepted.first?.metadata["peer.pid"], "\(getpid())")
        XCTAssertEqual(accepted.first?.metadata["rpc.method"], "config.set")
    }

    func testManyConnectionsAtOnce() async throws {
        let harness = try ServerHarness()
        try await harness.serve { _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<20 {
                    group.addTask {
                        try await RawConnection.with(harness.socketPath) { connection in
                            for n in 0..<10 {
                                let id = client * 100 + n
                                try await connection.send(frame: request(id, "status"))
                                let reply = try await connection.expectReply()
                                XCTAssertEqual(reply.id, .integer(Int64(id)))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

/// A request's JSON text.
func request(_ id: Int, _ method: String, _ params: String = "{}") -> String {
    #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#
}

extension JSONValue {
    /// The members, when this is an object.
    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}
