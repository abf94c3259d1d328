import NIOCore

/// A request in the plain form almost every client sends, read in one pass over the frame without
/// building a JSON tree: `{"jsonrpc":"2.0","id":ID,"method":"NAME","params":{}}` with the members in
/// any order, JSON whitespace between tokens, `params` `{}`, `null` or absent.
///
/// It is how the server answers a request from bytes it already has (``RPCResponse/writeResultReply(idJSON:resultJSON:into:)``)
/// without leaving the event loop. Anything else yields `nil` and goes through ``RPCRequestParser``,
/// which keeps every rule and error of the protocol: a notification (no `id`), any other member, a
/// repeated member, an escape in a string, a `params` with members, an unknown method. So what is
/// accepted here is exactly what the parser reads as the same request, and the id's JSON is what a
/// reply built by ``RPCResponse/encoded()`` would carry.
public struct PlainRequest: Sendable, Equatable {
    /// The method called.
    public let method: Method
    /// The id as the reply writes it: a number verbatim (see ``RawRequestID``), `null`, or a string
    /// of printable ASCII without `"` or `\`, which the encoder writes unchanged.
    public let idJSON: [UInt8]

    /// Reads `payload`; `nil` when it is not in the plain form.
    public static func parse(_ payload: ByteBuffer) -> PlainRequest? {
        // The parser refuses a longer payload (all whitespace, say) with -32600: so must this.
        guard payload.readableBytes <= JSONStructureLimit.maxRequestBytes else { return nil }
        return payload.withUnsafeReadableBytes { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.request()
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        mutating func request() -> PlainRequest? {
            var version = false, params = false
            var method: Method?
            var id: [UInt8]?
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            repeat {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                switch key {
                case "jsonrpc":
                    guard !version, string() == "2.0" else { return nil }
                    version = true
                case "id":
                    guard id == nil, let value = idValue() else { return nil }
                    id = value
                case "method":
                    guard method == nil, let name = string(), let known = Method(rawValue: name) else { return nil }
                    method = known
                case "params":
                    guard !params, emptyParams() else { return nil }
                    params = true
                default:
                    return nil
                }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
            skipWhitespace()
            guard position == bytes.count, version, let method, let id else { return nil }
            return PlainRequest(method: method, idJSON: id)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// A string of printable ASCII without escapes; `nil` for any other string or value.
        mutating func string() -> String? {
            guard let range = plainStringContent() else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// The range between the quotes of a string whose bytes are all printable ASCII but `"` and `\`.
        mutating func plainStringContent() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return start..<(position - 1)
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                position += 1
            }
            return nil
        }

        /// The id's JSON: `null`, a plain string with its quotes, or a number as sent.
        mutating func idValue() -> [UInt8]? {
            let start = position
            if bytes[position...].starts(with: "null".utf8) {
                position += 4
                return Array("null".utf8)
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                guard plainStringContent() != nil else { return nil }
                return Array(bytes[start..<position])
            }
            guard number() else { return nil }
            return Array(bytes[start..<position])
        }

        /// JSON's number grammar, `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, as ``RawRequestID`` reads it.
        mutating func number() -> Bool {
            _ = take(UInt8(ascii: "-"))
            if !take(UInt8(ascii: "0")) {
                guard digits() > 0 else { return false }
            }
            if take(UInt8(ascii: ".")) { guard digits() > 0 else { return false } }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() > 0 else { return false }
            }
            return true
        }

        mutating func digits() -> Int {
            let start = position
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") { position += 1 }
            return position - start
        }

        /// `{}` (whitespace inside allowed) or `null`.
        mutating func emptyParams() -> Bool {
            if bytes[position...].starts(with: "null".utf8) {
                position += 4
                return true
            }
            guard take(UInt8(ascii: "{")) else { return false }
            skipWhitespace()
            return take(UInt8(ascii: "}"))
        }
    }
}
