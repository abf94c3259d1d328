import Foundation

/// Turns a ``CompactEncoder`` blob back into the JSON `JSONEncoder` would have written for the same
/// value, so the queries decode recorded figures with `JSONDecoder` as before, with its leniency
/// (a whole number read as a `Double`, an absent key as `nil`). Reading is rare next to writing.
struct CompactTranscoder {
    /// Deepest nesting accepted: far beyond any collection (about 6), low enough that a damaged blob
    /// cannot exhaust the stack.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var offset = 0
    private var keys: [[UInt8]] = []
    private var json: [UInt8] = []

    private init(_ data: Data) {
        bytes = [UInt8](data)
        json.reserveCapacity(bytes.count * 3)
    }

    /// The JSON of the value `blob` holds.
    static func json(from blob: Data) throws(HistoryError) -> Data {
        var transcoder = CompactTranscoder(blob)
        guard try transcoder.byte() == CompactTag.formatVersion else {
            throw .corrupt("a recorded collection is in an unknown encoding (version \(blob.first ?? 0))")
        }
        try transcoder.value(depth: 0)
        guard transcoder.offset == transcoder.bytes.count else { throw .corrupt("a recorded collection has bytes after its value") }
        return Data(transcoder.json)
    }

    private mutating func byte() throws(HistoryError) -> UInt8 {
        guard offset < bytes.count else { throw .corrupt("a recorded collection ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func varint() throws(HistoryError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            let next = try byte()
            value |= UInt64(next & 0x7f) << shift
            if next < 0x80 { return value }
            shift += 7
        }
        throw .corrupt("a recorded collection holds an overlong number")
    }

    private mutating func text(_ count: UInt64) throws(HistoryError) -> ArraySlice<UInt8> {
        guard count <= UInt64(bytes.count - offset) else { throw .corrupt("a recorded collection ends inside a string") }
        defer { offset += Int(count) }
        return bytes[offset..<offset + Int(count)]
    }

    private mutating func value(depth: Int) throws(HistoryError) {
        guard depth < Self.maximumDepth else { throw .corrupt("a recorded collection nests too deep") }
        guard let tag = CompactTag(rawValue: try byte()) else { throw .corrupt("a recorded collection holds an unknown value") }
        switch tag {
        case .null: json.append(contentsOf: "null".utf8)
        case .false: json.append(contentsOf: "false".utf8)
        case .true: json.append(contentsOf: "true".utf8)
        case .unsigned, .wholeDouble: json.append(contentsOf: String(try varint()).utf8)
        case .negative:
            let magnitude = try varint()
            json.append(UInt8(ascii: "-"))
            // -(m + 1) without overflow at Int64.min.
            json.append(contentsOf: (magnitude == UInt64.max ? "18446744073709551616" : String(magnitude + 1)).utf8)
        case .double:
            var pattern: UInt64 = 0
            for index in 0..<8 { pattern |= UInt64(try byte()) << (8 * UInt64(index)) }
            let number = Double(bitPattern: pattern)
            guard number.isFinite else { throw .corrupt("a recorded collection holds a number JSON cannot") }
            // The shortest text that reads back as the same double.
            json.append(contentsOf: number.description.utf8)
        case .string: appendString(try text(try varint()))
        case .keyed:
            json.append(UInt8(ascii: "{"))
            var first = true
            while true {
                let reference = try varint()
                if reference == 0 { break }
                let key: ArraySlice<UInt8>
                if reference & 1 == 1 {
                    let index = reference >> 1
                    guard index < UInt64(keys.count) else { throw .corrupt("a recorded collection refers to a key it lacks") }
                    key = keys[Int(index)][...]
                } else {
                    key = try text(reference / 2 - 1)
                    keys.append(Array(key))
                }
                if !first { json.append(UInt8(ascii: ",")) }
                first = false
                appendString(key)
                json.append(UInt8(ascii: ":"))
                try value(depth: depth + 1)
            }
            json.append(UInt8(ascii: "}"))
        case .unkeyed:
            json.append(UInt8(ascii: "["))
            var first = true
            while offset < bytes.count, bytes[offset] != CompactTag.endOfArray.rawValue {
                if !first { json.append(UInt8(ascii: ",")) }
                first = false
                try value(depth: depth + 1)
            }
            guard try byte() == CompactTag.endOfArray.rawValue else { throw .corrupt("a recorded collection ends inside an array") }
            json.append(UInt8(ascii: "]"))
        case .endOfArray: throw .corrupt("a recorded collection ends an array it did not begin")
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as is (UTF-8).
    private mutating func appendString(_ utf8: ArraySlice<UInt8>) {
        json.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: "\\\\".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                json.append(contentsOf: "\\u00".utf8)
                json.append(hex[Int(byte >> 4)])
                json.append(hex[Int(byte & 0xf)])
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}
