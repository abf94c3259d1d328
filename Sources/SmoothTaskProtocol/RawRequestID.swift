/// Finds a request's numeric `id` as the bytes the client sent, so the reply can echo it exactly.
///
/// Foundation's decoder turns every JSON number into an `Int64` or a `Double`: an id above 2^63
/// came back as a float (`9223372036854775808` as `9.223372036854776e+18`), `-0` as `0`, and
/// `1e400` made the whole request unreadable. JSON-RPC says the reply carries the same id, so a
/// numeric id is located here, in one linear pass over the payload, and kept as text.
///
/// Only the top-level object's first `id` member counts (the decoder keeps the first of duplicate
/// keys too); a value that is not a number, or input that is not well-formed this far, yields
/// `nil` and is left to the decoder, which reports the error as before.
///
/// Public for checkers of replies (tests, the fuzz target): a reply's id is found the same way, and
/// one too large for a Double (`1e400`) must be set aside before Foundation's JSONSerialization can
/// read the rest.
public enum RawRequestID {
    /// The byte range of the top-level `id` member's value in `bytes`, when that value is a valid
    /// JSON number.
    public static func numberRange(in bytes: [UInt8]) -> Range<Int>? {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        scanner.skipWhitespace()
        if scanner.take(UInt8(ascii: "}")) { return nil }
        while true {
            guard let key = scanner.string() else { return nil }
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            if isID(bytes[key]) { return scanner.number() }
            guard scanner.skipValue() else { return nil }
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: ",")) else { return nil }
            scanner.skipWhitespace()
        }
    }

    /// Whether a key's raw bytes (between the quotes) spell `id`, escapes included (`\u0069d`).
    private static func isID(_ key: ArraySlice<UInt8>) -> Bool {
        if key.elementsEqual("id".utf8) { return true }
        // Escaped forms are short: `\u0069\u0064` is the longest spelling of "id".
        guard key.contains(UInt8(ascii: "\\")), key.count <= 12 else { return false }
        var unescaped: [UInt8] = []
        var index = key.startIndex
        while index < key.endIndex {
            if key[index] == UInt8(ascii: "\\") {
                guard index + 6 <= key.endIndex, key[index + 1] == UInt8(ascii: "u"),
                    let code = UInt8(String(decoding: key[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
                else { return false }
                unescaped.append(code)
                index += 6
            } else {
                unescaped.append(key[index])
                index += 1
            }
        }
        return unescaped.elementsEqual("id".utf8)
    }

    /// A cursor over the payload; every step is linear and nothing recurses, whatever the nesting.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// Skips a string; returns the range of its raw content (between the quotes).
        mutating func string() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    position += 1
                    return start..<(position - 1)
                case UInt8(ascii: "\\"):
                    position += 2
                default:
                    position += 1
                }
            }
            return nil
        }

        /// Reads a number that follows JSON's grammar exactly: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
        mutating func number() -> Range<Int>? {
            let start = position
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // A leading zero stands alone.
            } else {
                guard digits() > 0 else { return nil }
            }
            if take(UInt8(ascii: ".")) { guard digits() > 0 else { return nil } }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() > 0 else { return nil }
            }
            // A number ends at a delimiter; `01` or `1x` is not one.
            if position < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                return nil
            }
            return start..<position
        }

        private mutating func digits() -> Int {
            let start = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - start
        }

        /// Skips one value of any kind: nested arrays and objects by counting brackets outside strings.
        mutating func skipValue() -> Bool {
            var depth = 0
            repeat {
                guard position < bytes.count else { return false }
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard depth > 0 else { return false }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                default:
                    break
                }
                position += 1
            } while depth > 0 || (position < bytes.count && ![UInt8(ascii: ","), UInt8(ascii: "}")].contains(bytes[position]))
            return true
        }
    }
}
