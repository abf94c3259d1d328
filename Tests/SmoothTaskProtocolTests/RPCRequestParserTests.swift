import SmoothTaskProtocol
import XCTest

final class RPCRequestParserTests: XCTestCase {
    private func parse(_ text: String) throws(RejectedRequest) -> RPCRequest {
        try RPCRequestParser.parse(Array(text.utf8))
    }

    private func rejection(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> RejectedRequest? {
        do {
            let request = try RPCRequestParser.parse(bytes)
            XCTFail("accepted \(request)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func rejection(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> RejectedRequest? {
        rejection(Array(text.utf8), file: file, line: line)
    }

    func testValidRequest() throws {
        let request = try parse(#"{"jsonrpc":"2.0","id":1,"method":"status","params":{}}"#)
        XCTAssertEqual(request, RPCRequest(id: .integer(1), method: "status", params: [:]))
    }

    func testParamsAreKept() throws {
        let request = try parse(
            #"{"jsonrpc":"2.0","id":2,"method":"config.set","params":{"collection_interval_ms":500,"enable_cpu_metrics":false}}"#
        )
        XCTAssertEqual(request.params, ["collection_interval_ms": .integer(500), "enable_cpu_metrics": .bool(false)])
    }

    func testAbsentOrNullParamsAreAnEmptyObject() throws {
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#).params, [:])
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":1,"method":"status","params":null}"#).params, [:])
    }

    func testInvalidUTF8IsAParseError() {
        let rejected = rejection([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])  // {"\xFF\xFE":1}
        XCTAssertEqual(rejected?.error.code, RPCErrorCode.parseError.rawValue)
        XCTAssertEqual(rejected?.id, .null)
    }

    func testInvalidJSONIsAParseError() {
        for text in ["{", #"{"jsonrpc":"2.0","id":1,"method":}"#, "", "nonsense"] {
            let rejected = rejection(text)
            XCTAssertEqual(rejected?.error.code, -32700, text)
            XCTAssertEqual(rejected?.error.data?.name, "ParseError", text)
            XCTAssertEqual(rejected?.id, .null, text)
        }
    }

    func testNonObjectJSONIsAnInvalidRequest() {
        for text in ["3", #""status""#, "null", "true"] {
            let rejected = rejection(text)
            XCTAssertEqual(rejected?.error.code, -32600, text)
            XCTAssertEqual(rejected?.id, .null, text)
        }
    }

    func testBatchIsRefused() {
        let rejected = rejection(#"[{"jsonrpc":"2.0","id":1,"method":"status"}]"#)
        XCTAssertEqual(rejected?.error.code, -32600)
        XCTAssertTrue(rejected?.error.message.contains("batch") ?? false, rejected?.error.message ?? "")
    }

    func testIdsOfAllowedTypesAreEchoedUnchanged() throws {
        let cases: [(String, JSONValue)] = [
            (#""abc""#, .string("abc")),
            ("7", .integer(7)),
            ("0", .integer(0)),
            ("1", .integer(1)),  // not `true`
            ("-12", .integer(-12)),
            ("2.5", .rawNumber("2.5")),
            ("null", .null),
        ]
        for (idText, id) in cases {
            let request = try parse(#"{"jsonrpc":"2.0","id":\#(idText),"method":"status"}"#)
            XCTAssertEqual(request.id, id, idText)
        }
    }

    func testIdsOfOtherTypesAreAnInvalidRequest() {
        for idText in ["{}", #"{"a":1}"#, "[]", "[1]", "true", "false"] {
            let rejected = rejection(#"{"jsonrpc":"2.0","id":\#(idText),"method":"status"}"#)
            XCTAssertEqual(rejected?.error.code, -32600, idText)
            XCTAssertEqual(rejected?.id, .null, idText)
        }
    }

    func testMissingIdIsANotification() throws {
        let request = try parse(#"{"jsonrpc":"2.0","method":"status"}"#)
        XCTAssertNil(request.id)
    }

    func testMissingOrWrongJsonrpcIsAnInvalidRequestEchoingTheId() {
        for text in [#"{"id":4,"method":"status"}"#, #"{"jsonrpc":"1.0","id":4,"method":"status"}"#,
                     #"{"jsonrpc":2.0,"id":4,"method":"status"}"#] {
            let rejected = rejection(text)
            XCTAssertEqual(rejected?.error.code, -32600, text)
            XCTAssertEqual(rejected?.id, .integer(4), text)
        }
    }

    func testMissingOrNonStringMethodIsAnInvalidRequest() {
        for text in [#"{"jsonrpc":"2.0","id":"x"}"#, #"{"jsonrpc":"2.0","id":"x","method":5}"#,
                     #"{"jsonrpc":"2.0","id":"x","method":null}"#] {
            let rejected = rejection(text)
            XCTAssertEqual(rejected?.error.code, -32600, text)
            XCTAssertEqual(rejected?.id, .string("x"), text)
        }
    }

    func testParamsThatAreNotAnObjectAreInvalidParams() {
        for params in ["[1,2]", "3", #""x""#, "true"] {
            let rejected = rejection(#"{"jsonrpc":"2.0","id":9,"method":"status","params":\#(params)}"#)
            XCTAssertEqual(rejected?.error.code, -32602, params)
            XCTAssertEqual(rejected?.id, .integer(9), params)
        }
    }

    func testUnknownTopLevelFieldsAreIgnored() throws {
        let request = try parse(#"{"jsonrpc":"2.0","id":1,"method":"status","trace":true,"x":{"y":[1]}}"#)
        XCTAssertEqual(request, RPCRequest(id: .integer(1), method: "status"))
    }

    func testUnknownMethodNameIsNotTheParsersBusiness() throws {
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":1,"method":"nope"}"#).method, "nope")
    }

    /// Ids of any size come back as the bytes the client sent: no rounding to a float above 2^63,
    /// no `-0` turned into `0`, no `1e400` making the request unreadable.
    func testNumericIdsAreEchoedByteExactAtAnySize() throws {
        let ids = [
            "9223372036854775808",  // 2^63
            "18446744073709551617",  // 2^64 + 1
            "1e400", "-1e400", "1E-400", "-0", "-0.0", "12345678901234567890123", "1.5e+3", "2.50",
            "-9223372036854775809", "9223372036854775807", "-9223372036854775808",
        ]
        for idText in ids {
            let request = try parse(#"{"jsonrpc":"2.0","id":\#(idText),"method":"status"}"#)
            let reply = String(decoding: RPCResponse(id: try XCTUnwrap(request.id), result: EmptyParams()).encoded(), as: UTF8.self)
            XCTAssertEqual(reply, #"{"id":\#(idText),"jsonrpc":"2.0","result":{}}"#)
            // Rejections after the id is read echo it the same way.
            let rejected = rejection(#"{"id":\#(idText),"method":"status"}"#)
            let errorReply = String(decoding: try XCTUnwrap(rejected).response.encoded(), as: UTF8.self)
            XCTAssertTrue(errorReply.hasSuffix(#","id":\#(idText),"jsonrpc":"2.0"}"#), errorReply)
        }
        // Usual integers stay integers, so callers comparing ids are unaffected.
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":42,"method":"status"}"#).id, .integer(42))
    }

    func testOnlyTheTopLevelFirstIdIsTaken() throws {
        // The decoder keeps the first of duplicate keys; so does the id scan.
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":1e400,"id":2,"method":"status"}"#).id, .rawNumber("1e400"))
        // An escaped key is still `id`; an `id` nested in params is not the request's.
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":1e400,"method":"status"}"#).id, .rawNumber("1e400"))
        let nested = try parse(#"{"params":{"id":1e3,"x":["}",{"id":5}]},"jsonrpc":"2.0","method":"status","id":-0}"#)
        XCTAssertEqual(nested.id, .rawNumber("-0"))
        XCTAssertNotNil(nested.params["id"])
        XCTAssertEqual(try parse(#"{"jsonrpc":"2.0","id":"1e400","method":"status"}"#).id, .string("1e400"))
    }

    func testMalformedNumericIdsAreStillParseErrors() {
        for idText in ["01", "1.", ".5", "-", "1e", "+1", "0x10", "1_000", "NaN", "Infinity"] {
            let rejected = rejection(#"{"jsonrpc":"2.0","id":\#(idText),"method":"status"}"#)
            XCTAssertEqual(rejected?.error.code, -32700, idText)
            XCTAssertEqual(rejected?.id, .null, idText)
        }
    }
}
