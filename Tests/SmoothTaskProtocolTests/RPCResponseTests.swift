import SmoothTaskModel
import SmoothTaskProtocol
import XCTest

final class RPCResponseTests: XCTestCase {
    private func text(_ response: RPCResponse) -> String {
        String(decoding: response.encoded(), as: UTF8.self)
    }

    func testResultIsEncodedByteExact() {
        XCTAssertEqual(
            text(RPCResponse(id: .integer(1), result: EbpfConfig.defaults)),
            #"{"id":1,"jsonrpc":"2.0","result":{"collection_interval_ms":1000,"enable_cgroup_metrics":true,"#
                + #""enable_cpu_metrics":true,"enable_disk_metrics":true,"enable_history":true,"#
                + #""enable_memory_metrics":true,"enable_network_metrics":true,"enable_sched_latency":true,"#
                + #""enable_syscall_monitoring":true,"history_max_age_s":604800,"history_max_bytes":268435456,"#
                + #""max_overhead_percent":1,"prometheus_cgroup_limit":10,"prometheus_listen":null}}"#
        )
    }

    func testErrorWithParameterIsEncodedByteExact() {
        let error = RPCError(
            .invalidParams,
            "collection_interval_ms must be 10...3600000",
            parameter: "collection_interval_ms"
        )
        XCTAssertEqual(
            text(RPCResponse(id: .integer(7), error: error)),
            #"{"error":{"code":-32602,"data":{"name":"InvalidParameter","parameter":"collection_interval_ms"},"#
                + #""message":"collection_interval_ms must be 10...3600000"},"id":7,"jsonrpc":"2.0"}"#
        )
    }

    func testErrorWithNullIdIsEncodedByteExact() {
        let error = RPCError(.invalidRequest, "frame of 2000000 bytes exceeds the 1048576-byte limit")
        XCTAssertEqual(
            text(RPCResponse(id: .null, error: error)),
            #"{"error":{"code":-32600,"data":{"name":"InvalidRequest"},"#
                + #""message":"frame of 2000000 bytes exceeds the 1048576-byte limit"},"id":null,"jsonrpc":"2.0"}"#
        )
    }

    func testStringIdAndEmptyResult() {
        XCTAssertEqual(
            text(RPCResponse(id: .string("a/b"), result: EmptyParams())),
            #"{"id":"a/b","jsonrpc":"2.0","result":{}}"#
        )
    }

    func testPreEncodedResultGivesTheSameBytesAsEncodingTheValue() throws {
        let nested: JSONValue = .object([
            "zeta": .array([.integer(-3), .number(0.25), .null, .bool(true)]),
            "alpha": .object(["path": .string("/run/smoothtask.sock"), "quote": .string("a\"b\u{1}")]),
        ])
        let values: [any Encodable & Sendable] = [EbpfConfig.defaults, nested, EmptyParams()]
        for id in [JSONValue.integer(42), .string("a/b"), .null] {
            for value in values {
                let spliced = RPCResponse(id: id, result: try EncodedResult(value)).encoded()
                XCTAssertEqual(text(RPCResponse(id: id, result: value)), String(decoding: spliced, as: UTF8.self))
            }
        }
    }

    func testPreEncodedResultEncodesItsValueThroughAnyEncoder() throws {
        let wrapped = try EncodedResult(EbpfConfig.defaults)
        XCTAssertEqual(try RPCCoding.encoder.encode([wrapped]), try RPCCoding.encoder.encode([EbpfConfig.defaults]))
    }

    func testReplyDecodesWhatResponseEncodes() throws {
        let success = RPCResponse(id: .integer(3), result: EbpfConfig.defaults).encoded()
        let reply = try JSONDecoder().decode(RPCReply<EbpfConfig>.self, from: success)
        XCTAssertEqual(reply.id, .integer(3))
        XCTAssertEqual(try reply.get(), .defaults)

        let denied = RPCError(.permissionDenied, "config.set is allowed only for root and members of group 'smoothtask'")
        let failure = RPCResponse(id: .integer(4), error: denied).encoded()
        let failed = try JSONDecoder().decode(RPCReply<EbpfConfig>.self, from: failure)
        XCTAssertThrowsError(try failed.get()) { error in
            XCTAssertEqual(error as? RPCError, denied)
            XCTAssertEqual((error as? RPCError)?.knownCode, .permissionDenied)
        }
    }

    func testErrorCodesAreTheContractsNumbers() {
        let codes = Dictionary(uniqueKeysWithValues: RPCErrorCode.allCases.map { ($0.name, $0.rawValue) })
        XCTAssertEqual(codes, [
            "ParseError": -32700, "InvalidRequest": -32600, "MethodNotFound": -32601, "InvalidParameter": -32602,
            "InternalError": -32603, "PermissionDenied": -32001, "Unavailable": -32002, "Busy": -32003,
        ])
    }

    func testOutgoingRequestEncoding() throws {
        let data = try RPCCoding.encoder.encode(RPCOutgoingRequest(id: 1, method: .status, params: EmptyParams()))
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"{"id":1,"jsonrpc":"2.0","method":"status","params":{}}"#)
        // What the client sends, the daemon parses.
        XCTAssertEqual(try RPCRequestParser.parse(data), RPCRequest(id: .integer(1), method: "status"))
    }
}
