import NIOCore
import SmoothTaskModel
import SmoothTaskProtocol
import XCTest

/// ``PlainRequest`` accepts only what ``RPCRequestParser`` reads as the same request with no params,
/// and the reply it leads to is byte for byte the one ``RPCResponse/encoded()`` makes.
final class PlainRequestTests: XCTestCase {
    private let result = EbpfConfig.defaults

    func testPlainRequestsGiveTheSameReplyAsTheParser() throws {
        let ids = ["1", "0", "-0", "18446744073709551616", "1.5", "-2e-3", "1E+400", "null", #""""#, #""a/b c-_.:~""#]
        let shapes = [
            #"{"jsonrpc":"2.0","id":ID,"method":"metrics.get","params":{}}"#,
            #"{"jsonrpc":"2.0","id":ID,"method":"metrics.get"}"#,
            #"{"params":null,"method":"status","id":ID,"jsonrpc":"2.0"}"#,
            " \n{ \"id\" :\tID , \"jsonrpc\":\"2.0\",\"method\":\"config.get\",\"params\":{ } }\r\n",
        ]
        let encoded = try EncodedResult(result)
        for shape in shapes {
            for id in ids {
                let payload = shape.replacingOccurrences(of: "ID", with: id)
                let plain = try XCTUnwrap(PlainRequest.parse(ByteBuffer(string: payload)), payload)
                let parsed = try RPCRequestParser.parse(Array(payload.utf8))
                XCTAssertEqual(plain.method.rawValue, parsed.method, payload)
                XCTAssertEqual(parsed.params, [:], payload)
                var fast = ByteBuffer()
                RPCResponse.writeResultReply(idJSON: plain.idJSON, resultJSON: ByteBuffer(bytes: encoded.json), into: &fast)
                let usual = RPCResponse(id: try XCTUnwrap(parsed.id), result: encoded).encoded()
                XCTAssertEqual(String(buffer: fast), String(decoding: usual, as: UTF8.self), payload)
            }
        }
    }

    func testAnythingElseIsLeftToTheParser() {
        let payloads = [
            #"{"jsonrpc":"2.0","method":"metrics.get"}"#,  // a notification: no reply at all
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get","params":{"at":1}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get","params":[]}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get","extra":1}"#,
            #"{"jsonrpc":"2.0","id":1,"id":2,"method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get","method":"status"}"#,
            #"{"jsonrpc":"2.0","id":"\u0041","method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":"é","method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":true,"method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":01,"method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":1.,"method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":nul,"method":"metrics.get"}"#,
            #"{"jsonrpc":"1.0","id":1,"method":"metrics.get"}"#,
            #"{"id":1,"method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"no.such"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics\u002eget"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get"} x"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get",}"#,
            #"[{"jsonrpc":"2.0","id":1,"method":"metrics.get"}]"#,
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get""#,
            "",
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get"}"# + String(repeating: " ", count: JSONStructureLimit.maxRequestBytes),
        ]
        for payload in payloads {
            XCTAssertNil(PlainRequest.parse(ByteBuffer(string: payload)), payload)
        }
    }
}
