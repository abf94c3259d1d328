#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks that a JSON text (RFC 8259) is valid in one pass over its bytes and records where each
/// value and member name is (a ``JSONTapeEntry`` each): the first half of ``JSONValueDecoder``.
///
/// Nothing is converted here: no String per name or string, no number parsed, no dictionary. The
/// tree this replaced (a `[String: JSONValue]` per object, grown key by key, a String per name and
/// per number) cost about 185 instructions per byte of a 21 KB `status` reply, 3.9M in all; the
/// check and the tape cost about 0.35M (16 a byte), and the text is refused exactly where the
/// tree's reader refused it: invalid JSON anywhere (in members no type reads too, which
/// `JSONDecoder` lets pass), text after the value, bad escapes and unpaired surrogates, control
/// characters and invalid UTF-8 in strings, nesting deeper than ``maxDepth``.
struct JSONReader {
    /// The deepest nesting of arrays and objects read, 512: `JSONDecoder`'s own limit. Replies nest a
    /// few levels; the cap keeps a hostile peer from exhausting the stack through the recursion.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var tape: [JSONTapeEntry] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // An entry per value or name takes at least two bytes of text (`1,`), but most take many more:
        // a 21 KB status reply has about one per 10 bytes. Growing from there copies the tape once.
        tape.reserveCapacity(bytes.count / 8 + 2)
    }

    /// The document `data` holds, which must be one JSON value with only whitespace around it.
    /// - Throws: `DecodingError.dataCorrupted` naming the byte offset of the first error.
    static func parse(_ data: Data) throws -> JSONDocument {
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: data.count)
        data.withUnsafeBytes { UnsafeMutableRawBufferPointer(bytes).copyMemory(from: $0) }
        var reader = JSONReader(bytes: UnsafeBufferPointer(bytes))
        do {
            try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.index == reader.bytes.count else { throw reader.error("unexpected text after the JSON value") }
        } catch {
            bytes.deallocate()
            throw error
        }
        // The entry a `super` member that is absent reads as: `null`, outside the text.
        reader.tape.append(JSONTapeEntry(kind: .null, flags: 0, start: 0, end: 0, next: reader.tape.count + 1, count: 0))
        return JSONDocument(bytes: bytes, tape: reader.tape)
    }

    private mutating func value(depth: Int) throws {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw error("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws {
        guard depth <= Self.maxDepth else { throw error("nested more than \(Self.maxDepth) deep") }
        let entry = tape.count
        tape.append(JSONTapeEntry(kind: .object, flags: 0, start: index, end: 0, next: 0, count: 0))
        index += 1  // `{`
        var count = 0
        skipWhitespace()
        if !consume(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                try string()
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { throw error("expected `:` after a member name") }
                try value(depth: depth)
                count += 1
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { throw error("expected `,` or `}` in an object") }
        }
        close(entry, count: count)
    }

    private mutating func array(depth: Int) throws {
        guard depth <= Self.maxDepth else { throw error("nested more than \(Self.maxDepth) deep") }
        let entry = tape.count
        tape.append(JSONTapeEntry(kind: .array, flags: 0, start: index, end: 0, next: 0, count: 0))
        index += 1  // `[`
        var count = 0
        skipWhitespace()
        if !consume(UInt8(ascii: "]")) {
            repeat {
                try value(depth: depth)
                count += 1
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")) else { throw error("expected `,` or `]` in an array") }
        }
        close(entry, count: count)
    }

    /// Completes the entry of the array or object that ends before `index`.
    private mutating func close(_ entry: Int, count: Int) {
        tape[entry].end = index
        tape[entry].next = tape.count
        tape[entry].count = count
    }

    /// Checks the string starting at the opening quote under `index`; `index` ends after its closing quote.
    private mutating func string() throws {
        index += 1  // `"`
        let start = index
        var flags: UInt8 = 0
        var firstNonASCII = -1
        while true {
            skipPlainASCII()
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                flags |= JSONTapeEntry.escaped
                index += 1
                try escape()
                continue
            }
            guard byte >= 0x20 else { throw error("control character in a string") }
            if byte >= 0x80, firstNonASCII < 0 { firstNonASCII = index }
            index += 1
        }
        if firstNonASCII >= 0 {
            flags |= JSONTapeEntry.nonASCII
            // Escapes are ASCII and end no multi-byte sequence, so checking the text as written
            // checks the unescaped string.
            try validateUTF8(from: firstNonASCII)
        }
        tape.append(JSONTapeEntry(kind: .string, flags: flags, start: start, end: index, next: tape.count + 1, count: 0))
        index += 1  // `"`
    }

    /// Steps over string text that needs no second look (ASCII, not a control character, quote or
    /// backslash) eight bytes at a time: strings are most of a reply's bytes, and a byte at a time
    /// this loop was the reader's largest cost.
    private mutating func skipPlainASCII() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return }
        while index + 8 <= bytes.count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            // A byte's high bit ends up set where that byte of `quotes`/`backslashes` is zero, or
            // where `word`'s byte is below 0x20 or at 0x80 and above.
            let special = (((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes) | (word &- ones &* 0x20) | word) & highBits
            guard special == 0 else {
                // No byte to look at goes unmarked, so the mark at the lowest address is at or before
                // the first such byte (a false mark only hands the byte loop a plain byte).
                index += special.littleEndian.trailingZeroBitCount / 8
                return
            }
            index += 8
        }
    }

    /// Checks the escape after a backslash (`index` is past the backslash) and steps over it.
    private mutating func escape() throws {
        guard index < bytes.count else { throw error("unterminated string") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            guard let scalar = try Self.unicodeEscape(in: bytes, at: &index), Unicode.Scalar(scalar) != nil else {
                throw error("unpaired surrogate in a \\u escape")
            }
        default:
            throw error("invalid escape in a string")
        }
    }

    /// The scalar value of the `\u` escape whose hex digits start at `index` in `bytes` (with its
    /// low surrogate's escape when it is a high surrogate), or `nil` for an unpaired high surrogate;
    /// `index` ends after it. Shared with ``JSONDocument``, which unescapes text checked here.
    static func unicodeEscape(in bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) throws -> UInt32? {
        var scalar = try hexQuad(in: bytes, at: &index)
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate: the low one must follow as its own `\u` escape.
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                return nil
            }
            index += 2
            let low = try hexQuad(in: bytes, at: &index)
            guard (0xDC00..<0xE000).contains(low) else { return nil }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        return scalar
    }

    private static func hexQuad(in bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) throws -> UInt32 {
        func invalid(_ reason: String) -> DecodingError {
            DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The data is not valid JSON: \(reason) at byte \(index)."))
        }
        guard index + 4 <= bytes.count else { throw invalid("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw invalid("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Checks that the string text from `start` to `index` is UTF-8 (what `String(validating:)`
    /// accepts: no overlong forms, surrogates, values beyond U+10FFFF or cut sequences).
    private func validateUTF8(from start: Int) throws {
        var iterator = UnsafeBufferPointer(rebasing: bytes[start..<index]).makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return
            case .error: throw error("invalid UTF-8 in a string")
            }
        }
    }

    /// A number as JSON writes it: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?.
    private mutating func number() throws {
        let start = index
        var flags: UInt8 = 0
        _ = consume(UInt8(ascii: "-"))
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if consume(UInt8(ascii: ".")) {
            flags = JSONTapeEntry.fractionOrExponent
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after `.`") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            flags = JSONTapeEntry.fractionOrExponent
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in an exponent") }
            skipDigits()
        }
        tape.append(JSONTapeEntry(kind: .number, flags: flags, start: start, end: index, next: tape.count + 1, count: 0))
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONTapeEntry.Kind) throws {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
            throw error("invalid literal")
        }
        tape.append(JSONTapeEntry(kind: kind, flags: 0, start: index, end: index + expected.count, next: tape.count + 1, count: 0))
        index += expected.count
    }

    /// Steps over `byte` if it is next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func error(_ reason: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The data is not valid JSON: \(reason) at byte \(index)."))
    }
}
