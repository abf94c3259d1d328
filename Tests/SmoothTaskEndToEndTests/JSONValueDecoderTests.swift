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

    /// Duplicate member names: `JSONDecoder` keeps the first (Strings compared with canonical
    /// equivalence, so an escaped or decomposed spelling is the same name), for a struct's keys and
    /// for a dictionary's. The lazy decoder finds members by their bytes and must agree.
    func testDuplicateAndEscapedNamesResolveAsJSONDecoderResolvesThem() throws {
        let objects = [
            #"{"a":1,"a":2}"#, #"{"\u0061":3,"a":4}"#, #"{"a":5,"\u0061":6}"#, #"{"\u212A":7,"K":8,"a":9}"#,
            #"{"K":10,"\u212A":11,"a":12}"#, #"{"\u00e9":13,"e\u0301":14,"a":15}"#, #"{"e\u0301":16,"é":17,"a":18}"#,
            #"{"b":1,"a":19,"c":{"a":20},"a":21}"#,
        ]
        for object in objects {
            let text = #"{"id":1,"result":"# + object + "}"
            try assertSameDecoding(Member.self, Data(text.utf8), object)
            try assertSameDecoding([String: JSONValue].self, Data(text.utf8), object)
            try assertSameDecoding(JSONValue.self, Data(text.utf8), object)
        }
        // Names asked for with non-ASCII spellings, against plain and escaped member names.
        for object in [#"{"K":1,"é":2}"#, #"{"\u212A":3,"e\u0301":4}"#, #"{"\u212a":5,"\u00E9":6}"#] {
            try assertSameDecoding(Spellings.self, Data((#"{"id":1,"result":"# + object + "}").utf8), object)
        }
    }

    /// A key asked for twice, asked whether present, and asked as two types, reads the same member.
    func testAKeyAskedTwiceReadsTheSameMember() throws {
        let text = #"{"id":1,"result":{"z":0,"a":7,"n":null,"s":"x\ty","list":[1,[2,null],{"a":3}]}}"#
        try assertSameDecoding(AskedTwice.self, Data(text.utf8), "asked twice")
        let decoded = try XCTUnwrap(try JSONValueDecoder.decode(RPCReply<AskedTwice>.self, from: Data(text.utf8)).result)
        XCTAssertEqual(decoded.integer, 7)
        XCTAssertEqual(decoded.double, 7)
        XCTAssertEqual(decoded.string, "x\ty")
        XCTAssertEqual(decoded.flags, [true, true, false, true])
        XCTAssertEqual(decoded.list, [1, 2, 3])
    }

    /// Errors from nested containers name the same place (coding path) and kind as JSONDecoder's;
    /// a number that does not fit is `dataCorrupted` for both, but JSONDecoder names no place for it
    /// (an empty path) where this decoder names the member, as the tree decoder did.
    func testErrorsNameTheSamePathAsJSONDecoders() {
        let cases: [(String, String)] = [
            ("type mismatch in a nested array", #"{"id":1,"result":{"outer":{"rows":[{"value":1},{"value":"x"}]}}}"#),
            ("null where a value is needed", #"{"id":1,"result":{"outer":{"rows":[{"value":null}]}}}"#),
            ("missing key in a nested object", #"{"id":1,"result":{"outer":{"rows":[{"value":1},{}]}}}"#),
            ("number too large", #"{"id":1,"result":{"outer":{"rows":[{"value":300}]}}}"#),
            ("fraction for an integer", #"{"id":1,"result":{"outer":{"rows":[{"value":1.5}]}}}"#),
            ("object for an array", #"{"id":1,"result":{"outer":{"rows":{}}}}"#),
            ("array for an object", #"{"id":1,"result":{"outer":[]}}"#),
            ("string for an object", #"{"id":1,"result":"outer"}"#),
            ("text that is not JSON", #"{"id":1,"result":{"outer":{"rows":[{"value":1}]}}"#),
        ]
        for (label, text) in cases {
            let data = Data(text.utf8)
            let expected = Self.describe { _ = try JSONDecoder().decode(RPCReply<Nested>.self, from: data) }
            let actual = Self.describe { _ = try JSONValueDecoder.decode(RPCReply<Nested>.self, from: data) }
            print("\(label): JSONDecoder \(expected), JSONValueDecoder \(actual)")
            XCTAssertNotEqual(actual, "no error", label)
            if expected == "dataCorrupted at ", label.hasPrefix("number") || label.hasPrefix("fraction") {
                XCTAssertEqual(actual, "dataCorrupted at result.outer.rows.[0].value", label)
            } else {
                XCTAssertEqual(actual, expected, label)
            }
        }
    }

    /// `JSONValue` results are built straight from the text; a number beyond Double refuses the
    /// same way as through `JSONValue`'s own probing `init(from:)`: at the same place, the same kind.
    func testJSONValueRefusalsNameTheSamePlace() {
        for text in [
            #"{"id":1,"result":1e400}"#, #"{"id":1,"result":[1,1e400]}"#, #"{"id":1,"result":{"a":[1,{"b":-1e400}]}}"#,
            #"{"id":1,"result":{"a":{"b":1e400},"c":1}}"#, #"{"id":1,"result":{"a":1,"a":1e400}}"#, #"{"id":1e400,"result":1}"#,
        ] {
            let data = Data(text.utf8)
            let expected = Self.describe { _ = try JSONDecoder().decode(RPCReply<JSONValue>.self, from: data) }
            let actual = Self.describe { _ = try JSONValueDecoder.decode(RPCReply<JSONValue>.self, from: data) }
            let direct = Self.describe { _ = try JSONValueDecoder.decode(JSONValue.self, from: data) }
            let directExpected = Self.describe { _ = try JSONDecoder().decode(JSONValue.self, from: data) }
            print("\(text): JSONDecoder \(expected) / \(directExpected), JSONValueDecoder \(actual) / \(direct)")
            XCTAssertEqual(actual, expected, text)
            XCTAssertEqual(direct, directExpected, text)
        }
    }

    /// Random documents (seeded, so a failure replays) read as JSONValue the same by both decoders:
    /// nesting, duplicate and escaped or canonically equivalent names, escapes, numbers of every form.
    func testRandomDocumentsDecodeAsJSONDecoderDecodesThem() throws {
        var random = SplitMix64(seed: 12)
        var refusedByBoth = 0
        for index in 0..<1_500 {
            // In an array: a `null` result would be an absent one.
            let text = #"{"id":1,"result":["# + Self.randomValue(&random, depth: 0) + "]}"
            let data = Data(text.utf8)
            if (try? JSONDecoder().decode(RPCReply<JSONValue>.self, from: data)) == nil { refusedByBoth += 1 }
            try assertSameDecoding(JSONValue.self, data, "document \(index): \(text)")
        }
        print("random documents: 1,500, refused by both (numbers beyond Double): \(refusedByBoth)")
    }

    /// Text refused wherever it is, also in a member no type reads: the whole text is checked first,
    /// as the tree decoder's reader did. (JSONDecoder reads all of these without a word while the
    /// member is not asked for: it checks strings and numbers when they are read and lets trailing
    /// commas pass, so it is no reference here.)
    func testInvalidTextInAMemberNobodyReadsIsRefused() {
        let bad: [[UInt8]] = [
            Array(#""\q""#.utf8), Array(#""\ud800""#.utf8), Array(#""\udc00x""#.utf8), Array(#""\u12""#.utf8), Array("\"a\u{01}\"".utf8),
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22], [0x22, 0xC3, 0x5C, 0x6E, 0x22], Array("01".utf8), Array("1.".utf8), Array("-".utf8),
            Array("tru".utf8), Array("[1,]".utf8), Array(#"{"a":1,}"#.utf8), Array(#"{"a" 1}"#.utf8),
        ]
        for value in bad {
            let data = Data(Array(#"{"id":1,"result":{"value":1,"unread":"#.utf8) + value + Array("}}".utf8))
            let label = String(decoding: value, as: UTF8.self)
            XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<Row>.self, from: data), label)
        }
        // Valid multi-byte text in the same place is read.
        let good = Data(Array(#"{"id":1,"result":{"value":1,"unread":"é€😀 \u00e9"}}"#.utf8))
        XCTAssertEqual(try JSONValueDecoder.decode(RPCReply<Row>.self, from: good).result?.value, 1)
    }

    /// 512 levels of nesting are read, 513 refused, by both decoders. (The result is not decoded:
    /// `JSONValue` probes each level with errors whose paths grow with the depth, seconds in a debug build.)
    func testNestingDeeperThan512IsRefused() throws {
        for depth in [512, 513] {
            let text = #"{"id":1,"result":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
            let data = Data(text.utf8)
            if depth <= 512 {
                XCTAssertNoThrow(try JSONDecoder().decode(RPCReply<Unread>.self, from: data))
                XCTAssertNoThrow(try JSONValueDecoder.decode(RPCReply<Unread>.self, from: data))
            } else {
                XCTAssertThrowsError(try JSONDecoder().decode(RPCReply<Unread>.self, from: data))
                XCTAssertThrowsError(try JSONValueDecoder.decode(RPCReply<Unread>.self, from: data))
            }
        }
    }

    /// `-0` as a floating-point number keeps its sign; integers beyond 18 digits take the text's path.
    func testNegativeZeroAndLongIntegers() throws {
        let data = Data(#"{"id":1,"result":[-0, 0, 1234567890123456789, -9223372036854775808, 18446744073709551615]}"#.utf8)
        let doubles = try XCTUnwrap(try JSONValueDecoder.decode(RPCReply<[Double]>.self, from: data).result)
        let expected = try XCTUnwrap(try JSONDecoder().decode(RPCReply<[Double]>.self, from: data).result)
        XCTAssertEqual(doubles.map(\.bitPattern), expected.map(\.bitPattern))
        try assertSameDecoding([Int64?].self, Data(#"{"id":1,"result":[-0, 1234567890123456789, -9223372036854775808, null]}"#.utf8), "Int64")
        try assertSameDecoding([UInt64].self, Data(#"{"id":1,"result":[18446744073709551615, 1e19, 255.0]}"#.utf8), "UInt64")
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

    /// The kind of error `body` throws and the path it names (indexes in brackets), or "no error".
    private static func describe(_ body: () throws -> Void) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        do {
            try body()
            return "no error"
        } catch DecodingError.typeMismatch(_, let context) {
            return "typeMismatch at \(path(context))"
        } catch DecodingError.valueNotFound(_, let context) {
            return "valueNotFound at \(path(context))"
        } catch DecodingError.keyNotFound(let key, let context) {
            return "keyNotFound \(key.stringValue) at \(path(context))"
        } catch DecodingError.dataCorrupted(let context) {
            return "dataCorrupted at \(path(context))"
        } catch {
            return "\(error)"
        }
    }

    /// A random JSON value as text, at most four levels deep.
    private static func randomValue(_ random: inout SplitMix64, depth: Int) -> String {
        let names = ["a", "b", #"\u0061"#, "K", #"\u212A"#, "é", #"e\u0301"#, "long_member_name_here", "", #"q\"uote"#]
        let strings = ["", "plain", #"tab\there"#, #"\ud83d\ude00"#, "é€😀", #"\/\\\b\f\n\r"#, "sixteen bytes ok"]
        let numbers = ["0", "-0", "7", "-12", "1.5", "-0.25", "1e3", "2.5E-3", "1E+2", "123456789012345678", "1234567890123456789",
                       "-9223372036854775808", "9223372036854775808", "18446744073709551615", "1.0", "0.1", "1e400", "-1e-400"]
        let kind = Int(random.next() % (depth >= 4 ? 5 : 7))
        switch kind {
        case 0: return "null"
        case 1: return random.next() % 2 == 0 ? "true" : "false"
        case 2: return numbers[Int(random.next() % UInt64(numbers.count))]
        case 3, 4: return "\"" + strings[Int(random.next() % UInt64(strings.count))] + "\""
        case 5:
            let count = Int(random.next() % 5)
            return "[" + (0..<count).map { _ in randomValue(&random, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            let count = Int(random.next() % 6)
            let members = (0..<count).map { _ in
                "\"" + names[Int(random.next() % UInt64(names.count))] + "\": " + randomValue(&random, depth: depth + 1)
            }
            return "{ " + members.joined(separator: " , ") + "}"
        }
    }

    /// A small seeded generator (SplitMix64), so a failing document can be made again.
    private struct SplitMix64 {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One member `a`, for the duplicate-name cases.
    private struct Member: Decodable, Equatable {
        var a: Int
    }

    /// Names asked for in non-ASCII spellings (KELVIN SIGN, decomposed é), matched by canonical equivalence.
    private struct Spellings: Decodable, Equatable {
        var kelvin: Int?
        var acute: Int?
        enum CodingKeys: String, CodingKey {
            case kelvin = "\u{212A}"
            case acute = "e\u{301}"
        }
    }

    /// Reads `a` twice, as two types, and asks about present, absent and null members.
    private struct AskedTwice: Decodable, Equatable {
        var integer: Int
        var double: Double
        var string: String
        var flags: [Bool]
        var list: [Int]
        enum CodingKeys: String, CodingKey {
            case a, n, s, missing, list
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            integer = try container.decode(Int.self, forKey: .a)
            double = try container.decode(Double.self, forKey: .a)
            string = try container.decode(String.self, forKey: .s)
            _ = try container.decode(String.self, forKey: .s)
            flags = [
                container.contains(.a), container.contains(.n), container.contains(.missing),
                try container.decodeNil(forKey: .n),
            ]
            XCTAssertNil(try container.decodeIfPresent(Int.self, forKey: .n))
            XCTAssertNil(try container.decodeIfPresent(Int.self, forKey: .missing))
            var list = try container.nestedUnkeyedContainer(forKey: .list)
            XCTAssertEqual(list.count, 3)
            var values = [try list.decode(Int.self)]
            var inner = try list.nestedUnkeyedContainer()
            values.append(try inner.decode(Int.self))
            XCTAssertTrue(try inner.decodeNil())
            XCTAssertTrue(inner.isAtEnd)
            XCTAssertThrowsError(try inner.decode(Int.self))
            let last = try list.nestedContainer(keyedBy: CodingKeys.self)
            values.append(try last.decode(Int.self, forKey: .a))
            XCTAssertTrue(list.isAtEnd)
            self.list = values
        }
    }

    /// Reads nothing of its value: what is checked is the text alone.
    private struct Unread: Decodable, Sendable {
        init(from decoder: any Decoder) {}
    }

    private struct Row: Decodable, Equatable {
        var value: UInt8
    }

    private struct Rows: Decodable, Equatable {
        var rows: [Row]
    }

    private struct Nested: Decodable, Equatable {
        var outer: Rows
    }
}
