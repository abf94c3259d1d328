import Foundation
import NIOCore
import SmoothTaskProtocol
import XCTest

final class JSONStructureLimitTests: XCTestCase {
    private let maxDepth = JSONStructureLimit.maxDepth
    private let maxElements = JSONStructureLimit.maxElements

    /// The rejection `text` earns from the structure check alone, `nil` if it passes.
    private func violation(_ bytes: some Collection<UInt8>) -> RejectedRequest? {
        do {
            try JSONStructureLimit.check(bytes)
            return nil
        } catch {
            return error
        }
    }

    private func violation(_ text: String) -> RejectedRequest? { violation(Array(text.utf8)) }

    /// A request whose params hold `value`: the request object and params add 2 levels and 5 elements.
    private func request(params value: String) -> String {
        #"{"jsonrpc":"2.0","id":7,"method":"status","params":{"v":\#(value)}}"#
    }

    private func nested(_ levels: Int) -> String {
        String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    }

    private func array(of count: Int, _ element: String = "0") -> String {
        "[" + Array(repeating: element, count: count).joined(separator: ",") + "]"
    }

    private func assertTooDeep(_ rejection: RejectedRequest?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(rejection?.error.code, RPCErrorCode.invalidRequest.rawValue, file: file, line: line)
        XCTAssertEqual(rejection?.id, .null, file: file, line: line)
        XCTAssertTrue(rejection?.error.message.contains("deeper than \(maxDepth) levels") ?? false,
                      rejection?.error.message ?? "accepted", file: file, line: line)
    }

    private func assertTooMany(_ rejection: RejectedRequest?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(rejection?.error.code, RPCErrorCode.invalidRequest.rawValue, file: file, line: line)
        XCTAssertEqual(rejection?.id, .null, file: file, line: line)
        XCTAssertTrue(rejection?.error.message.contains("more than 1024") ?? false,
                      rejection?.error.message ?? "accepted", file: file, line: line)
    }

    // MARK: depth

    func testDepthUpToTheLimitPassesAndOneMoreIsRefused() {
        XCTAssertNil(violation(nested(maxDepth)))
        assertTooDeep(violation(nested(maxDepth + 1)))
        // Objects and arrays count alike.
        let objects = String(repeating: #"{"a":"#, count: maxDepth + 1) + "1" + String(repeating: "}", count: maxDepth + 1)
        assertTooDeep(violation(objects))
        XCTAssertNil(violation(String(objects.dropFirst(5).dropLast())))
    }

    func testDepthIsTheDeepestPointNotTheNumberOfContainers() {
        // 100 sibling arrays, each 8 deep (800 elements): never deeper than 9.
        XCTAssertNil(violation("[" + Array(repeating: nested(8), count: 100).joined(separator: ",") + "]"))
    }

    func testARequestWithParamsNestedToTheLimitStillParses() throws {
        let parsed = try RPCRequestParser.parse(Array(request(params: nested(maxDepth - 2)).utf8))
        XCTAssertEqual(parsed.method, "status")
        assertTooDeep(violation(request(params: nested(maxDepth - 1))))
    }

    // MARK: elements

    func testElementsUpToTheLimitPassAndOneMoreIsRefused() {
        XCTAssertNil(violation(array(of: maxElements)))
        assertTooMany(violation(array(of: maxElements + 1)))
        // Object members count one each (the key is not a second element).
        let members = (0...maxElements).map { #""k\#($0)":true"# }
        XCTAssertNil(violation("{" + members.dropLast().joined(separator: ",") + "}"))
        assertTooMany(violation("{" + members.joined(separator: ",") + "}"))
    }

    func testElementsAreCountedOverTheWholePayload() {
        // 8 arrays of 128: 8 + 1,024 elements in all although each container is small; of 127: 1,024.
        assertTooMany(violation(array(of: 8, array(of: 128))))
        XCTAssertNil(violation(array(of: 8, array(of: 127))))
    }

    func testEmptyContainersHaveNoElements() {
        for text in ["[]", "{}", "[ ]", "{ \n\t\r }", "[[],{},[[]]]"] {
            XCTAssertNil(violation(text), text)
        }
        // `[{},{},...]`: each empty object is one element of the array.
        XCTAssertNil(violation(array(of: maxElements, "{}")))
        assertTooMany(violation(array(of: maxElements + 1, "{}")))
    }

    // MARK: strings

    func testBracketsAndCommasInsideStringsDoNotCount() {
        let brackets = String(repeating: "[{", count: 100) + String(repeating: ",", count: 5_000)
        XCTAssertNil(violation(request(params: "\"\(brackets)\"")))
        XCTAssertNil(violation(#"{"\#(brackets)":1}"#))
    }

    func testAnEscapedQuoteDoesNotEndTheString() {
        // "\"[[[...": still one string.
        let deep = String(repeating: "[", count: maxDepth + 4)
        XCTAssertNil(violation(request(params: #""\"\#(deep)""#)))
        // Three backslashes: an escaped backslash, then an escaped quote: still inside.
        XCTAssertNil(violation(request(params: #""\\\"\#(deep)""#)))
        // Two backslashes: an escaped backslash, then the closing quote: the brackets are real.
        assertTooDeep(violation(#"{"a":"\\", "b":\#(deep)"#))
        // Other escapes before the closing quote.
        XCTAssertNil(violation(#"{"a":"\u005b\n\t\/","b":[1]}"#))
    }

    func testStringsAtTheEdgesOfThePayload() {
        XCTAssertNil(violation(#""""#))
        XCTAssertNil(violation(#""\\""#))
        XCTAssertNil(violation(#"["\\\\"]"#))
    }

    // MARK: malformed input is left to the decoder

    func testMalformedPayloadsPassTheCheckAndTheDecoderRefusesThem() {
        let malformed = ["", "   ", "]]]]", "[}", "{]", #"{"a":"unterminated [[[[[[[[[[[[[[[[[[[["#, #"["\"#, "[[[", "\u{0}\u{0}", ",,,,"]
        for text in malformed {
            XCTAssertNil(violation(text), text)
            do {
                let request = try RPCRequestParser.parse(Array(text.utf8))
                XCTFail("accepted \(request)")
            } catch {
                XCTAssertEqual(error.error.code, RPCErrorCode.parseError.rawValue, text)
            }
        }
    }

    func testTheCheckStopsCountingAtAMismatchedBracket() {
        // After `[}` the decoder stops, so what follows cannot cost anything: no false limit there.
        XCTAssertNil(violation("[}" + nested(maxDepth + 10)))
    }

    // MARK: every way a payload arrives

    func testNonContiguousAndByteBufferPayloadsGetTheSameVerdict() {
        let deep = Array(nested(maxDepth + 1).utf8)
        assertTooDeep(violation(deep.lazy.map { $0 }))
        assertTooDeep(violation(ByteBuffer(bytes: deep).readableBytesView))
        let fine = Array(request(params: "[1,2,3]").utf8)
        XCTAssertNil(violation(fine.lazy.map { $0 }))
        XCTAssertNil(violation(ByteBuffer(bytes: fine).readableBytesView))
    }

    func testTheParserRefusesOverTheLimitWithInvalidRequestAndNullID() {
        do {
            let parsed = try RPCRequestParser.parse(Array(request(params: array(of: 2_000)).utf8))
            XCTFail("accepted \(parsed)")
        } catch {
            assertTooMany(error)
        }
    }

    // MARK: size

    func testPayloadsUpToTheSizeLimitAreScannedAndOneByteMoreIsRefused() {
        let head = #"{"jsonrpc":"2.0","id":1,"method":"status","params":{"s":""#
        let tail = #""}}"#
        let filler = JSONStructureLimit.maxRequestBytes - head.utf8.count - tail.utf8.count
        let fits = head + String(repeating: "x", count: filler) + tail
        XCTAssertEqual(fits.utf8.count, JSONStructureLimit.maxRequestBytes)
        XCTAssertNil(violation(fits))
        let over = violation(fits + " ")
        XCTAssertEqual(over?.error.code, RPCErrorCode.invalidRequest.rawValue)
        XCTAssertEqual(over?.id, .null)
        XCTAssertTrue(over?.error.message.contains("larger than 65536 bytes") ?? false, over?.error.message ?? "accepted")
    }

    // MARK: cost

    /// The costliest payloads: 1 MiB frames of the worst shapes (all refused), and the worst shapes
    /// that are still decoded (at the size and element limits). Prints CPU time; asserts only the
    /// verdicts (timing assertions are flaky on a loaded machine; the end-to-end test bounds the effect
    /// on other clients).
    func testWorstCasePayloadsAreRefusedOrParsedCheaply() {
        func padded(_ head: String, _ filler: String, _ tail: String, bytes: Int) -> [UInt8] {
            let count = (bytes - head.utf8.count - tail.utf8.count) / filler.utf8.count
            return Array((head + String(repeating: filler, count: count) + tail).utf8)
        }
        let mebibyte = ProtocolConstants.maxPayloadBytes
        let limit = JSONStructureLimit.maxRequestBytes
        let request = #"{"jsonrpc":"2.0","id":1,"method":"status""#
        // Each of these has 2 elements on each of its 15 levels; 33 of them in an array: 33 x 31 = 1,023
        // elements, 16 levels deep.
        let deepElements = String(repeating: "[0,", count: maxDepth - 1) + "0" + String(repeating: "]", count: maxDepth - 1)
        let cases: [(name: String, payload: [UInt8], refused: Bool)] = [
            ("1 MiB [{},{},...]", padded("[", "{},", "{}]", bytes: mebibyte), true),
            ("1 MiB of [", padded("", "[", "", bytes: mebibyte), true),
            ("1 MiB object, many keys", padded("{", #""key":0,"#, #""end":0}"#, bytes: mebibyte), true),
            ("1 MiB escaped quotes", padded(request + #","params":{"s":""#, #"\""#, #""}}"#, bytes: mebibyte), true),
            ("64 KiB [{},{},...]", padded("[", "{},", "{}]", bytes: limit), true),
            ("1,024 x {}", Array(array(of: maxElements, "{}").utf8), false),
            ("1,023 elements 16 deep", Array(array(of: maxElements / (2 * maxDepth - 1), deepElements).utf8), false),
            ("64 KiB blanks", padded(request, " ", "}", bytes: limit), false),
            ("64 KiB string", padded(request + #","params":{"s":""#, "x", #""}}"#, bytes: limit), false),
            ("64 KiB escaped quotes", padded(request + #","params":{"s":""#, #"\""#, #""}}"#, bytes: limit), false),
            ("64 KiB number", padded(request + #","params":{"n":"#, "1", "}}", bytes: limit), false),
        ]
        for (name, payload, refused) in cases {
            let scanStart = Self.threadCPUNanoseconds()
            let verdict = violation(payload)
            let scanned = Self.threadCPUNanoseconds() - scanStart
            let parseStart = Self.threadCPUNanoseconds()
            let outcome: String
            do {
                outcome = "parsed: \(try RPCRequestParser.parse(payload).method)"
            } catch {
                outcome = "\(error.error.code) \(error.error.message)"
            }
            let parsed = Self.threadCPUNanoseconds() - parseStart
            XCTAssertEqual(verdict != nil, refused, "\(name): \(outcome)")
            let check = String(format: "%.3f", Double(scanned) / 1e6)
            let parse = String(format: "%.3f", Double(parsed) / 1e6)
            print("limit: \(name), \(payload.count) bytes: check \(check) ms CPU, parse \(parse) ms CPU -> \(outcome)")
        }
    }

    private static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
