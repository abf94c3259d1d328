import Foundation
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol
import XCTest

/// The client's reply decoder (``JSONValueDecoder``) against `JSONDecoder`, the decoder the daemon's
/// types were written for: the same values from the golden frames and from a live daemon's replies,
/// and the same refusals.
final class JSONValueDecoderTests: XCTestCase {
    private static let framesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol/frames")

    /// Every golden reply, read as any JSON value (ids beyond Int64 and Double, errors, nested data).
    func testGoldenRepliesDecodeAsJSONDecoderDecodesThem() throws {
        let replies = try FileManager.default.contentsOfDirectory(atPath: Self.framesDirectory.path).filter { $0.hasSuffix(".reply.json") }
        XCTAssertFalse(replies.isEmpty, "no golden replies in \(Self.framesDirectory.path)")
        for name in replies.sorted() {
            let data = try Data(contentsOf: Self.framesDirectory.appendingPathComponent(name))
            try assertSameDecoding(JSONValue.self, data, name)
        }
        try assertSameDecoding(
            EbpfConfig.self, try Data(contentsOf: Self.framesDirectory.appendingPathComponent("config-get.reply.json")), "config-get"
        )
    }

    /// What each CLI view decodes, from a live daemon with real collections in it.
    func testLiveRepliesDecodeAsJSONDecoderDecodesThem() throws {
        let daemon = try DaemonProcess()
        defer { daemon.stop() }
        try daemon.waitForNextCollection()
        try daemon.waitForNextCollection()
        try assertSameDecoding(DaemonStatus.self, try reply(daemon, "status"), "status")
        try assertSameDecoding(EbpfMetrics.self, try reply(daemon, "metrics.get"), "metrics.get")
        try assertSameDecoding(EbpfConfig.self, try reply(daemon, "config.get"), "config.get")
        try assertSameDecoding(DaemonOverhead.self, try reply(daemon, "overhead"), "overhead")
        try assertSameDecoding(ProcessTop.self, try reply(daemon, "processes.top", ["limit": 50]), "processes.top")
        try assertSameDecoding(ExitedProcesses.self, try reply(daemon, "processes.exited"), "processes.exited")
        try assertSameDecoding(CgroupsReport.self, try reply(daemon, "cgroups.top"), "cgroups.top")
        try assertSameDecoding(HistoryInfo.self, try reply(daemon, "history.info"), "history.info")
        try assertSameDecoding(DiscoveryResult.self, try reply(daemon, "rpc.discover"), "rpc.discover")
        for method in ["status", "metrics.get", "rpc.discover", "no.such.method"] {
            try assertSameDecoding(JSONValue.self, try reply(daemon, method), method)
        }
    }

    /// The conversions a field can ask for, at their edges.
    func testNumbersStringsAndNullsConvertAsJSONDecoderConvertsThem() throws {
        let cases: [(String, String)] = [
            ("UInt64 max", #"{"id":1,"result":[18446744073709551615]}"#),
            ("Int64 min", #"{"id":1,"result":[-9223372036854775808]}"#),
            ("exponent", #"{"id":1,"result":[1e-05, 2.5E+3, 0.1, -0, 123456789012345678]}"#),
            ("beyond Double", #"{"id":1,"result":[1e400]}"#),
            ("escapes", #"{"id":1,"result":["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20AC\ud83d\ude00", "plain é €"]}"#),
        ]
        for (label, text) in cases {
            let data = Data(text.utf8)
            try assertSameDecoding(JSONValue.self, data, label)
        }
        try assertSameDecoding([UInt64].self, Data(#"{"id":1,"result":[18446744073709551615, 0]}"#.utf8), "UInt64")
        try assertSameDecoding([Double].self, Data(#"{"id":1,"result":[1e-05, 2.5E+3, 0.1, -0, 123456789012345678, 7]}"#.utf8), "Double")
        try assertSameDecoding([Float].self, Data(#"{"id":1,"result":[0.1, 16777217, 3.4e38]}"#.utf8), "Float")
        try assertSameDecoding([String].self, Data(cases[3].1.utf8), "String")
        try assertSameDecoding([Int?].self, Data(#"{"id":1,"result":[1, null, -3]}"#.utf8), "optionals")
    }

    /// Text that is not JSON, or JSON that is not the type asked for, is refused by both.
    func testWhatJSONDecoderRefusesIsRefused() {
        for text in [
            "", "{", #"{"id":1,"result":[01]}"#, #"{"id":1,"result":"a"#, #"{"id":1} x"#,
            #"{"id":1,"result":"\ud800"}"#, #"{"id":1,"result":"\q"}"#, #"{"id":1,"result":tru}"#,
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ] {
            let data = Data(text.utf8)
            XCTAssertThrowsError(try JSONDecoder().decode(RPCReply<JSONValue>.self, from: data), "JSONDecoder: \(text.prefix(40))")
            XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<JSONValue>.self, from: data), text.prefix(40).description) { error in
                print("\(text.prefix(40)): \(error)")
            }
        }
        for (text, type) in [(#"{"id":1,"result":[1.5]}"#, "Int"), (#"{"id":1,"result":[256]}"#, "UInt8"), (#"{"id":1,"result":[null]}"#, "Int"),
                             (#"{"id":1,"result":["1"]}"#, "Int"), (#"{"id":1,"result":[-1]}"#, "UInt64")] {
            let data = Data(text.utf8)
            if type == "UInt8" {
                XCTAssertThrowsError(try JSONDecoder().decode(RPCReply<[UInt8]>.self, from: data))
                XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<[UInt8]>.self, from: data), text)
            } else if type == "UInt64" {
                XCTAssertThrowsError(try JSONDecoder().decode(RPCReply<[UInt64]>.self, from: data))
                XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<[UInt64]>.self, from: data), text)
            } else {
                XCTAssertThrowsError(try JSONDecoder().decode(RPCReply<[Int]>.self, from: data))
                XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<[Int]>.self, from: data), text)
            }
        }
        // A missing member the type needs.
        XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<EbpfConfig>.self, from: Data(#"{"id":1,"result":{}}"#.utf8)))
    }

    /// The same reply from both decoders, or an error from both (`JSONDecoder` refuses an id of
    /// `1e400`, beyond Double, as a JSONValue).
    private func assertSameDecoding<T: Decodable & Equatable & Sendable>(_ type: T.Type, _ data: Data, _ label: String) throws {
        let expected: RPCReply<T>
        do {
            expected = try JSONDecoder().decode(RPCReply<T>.self, from: data)
        } catch {
            XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<T>.self, from: data), "\(label): JSONDecoder refused it: \(error)")
            return
        }
        let decoded = try JSONValueDecoder.decode(RPCReply<T>.self, from: data)
        XCTAssertEqual(decoded.id, expected.id, label)
        XCTAssertEqual(decoded.result, expected.result, label)
        XCTAssertEqual(decoded.error, expected.error, label)
        XCTAssertTrue(decoded.result != nil || decoded.error != nil, "\(label): neither result nor error")
    }

    private func reply(_ daemon: DaemonProcess, _ method: String, _ params: [String: Any] = [:]) throws -> Data {
        let connection = try RawConnection(path: daemon.socketPath)
        let request: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]
        try connection.send(try JSONSerialization.data(withJSONObject: request))
        return try XCTUnwrap(try connection.receive(), "\(method): the daemon closed the connection")
    }
}
