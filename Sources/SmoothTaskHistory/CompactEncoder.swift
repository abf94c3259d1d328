import Foundation

/// Encodes a `Codable` value into the history's compact encoding: what `JSONEncoder` would write, as
/// tagged binary values (``CompactTag``) with each key's text written once per blob and referred to
/// by number after. Streams into one byte array: the recorder's writer encoded every collection's
/// figures with `JSONEncoder`, a third of its time (perf, idle release daemon).
///
/// Key references: 0 ends an object; `2i + 1` is the `i`-th key written so far; `2n + 2` is a new key
/// of `n` bytes of UTF-8, which follow.
///
/// Nested containers (`nestedContainer`, `superEncoder`) and a container written to after a later one
/// was opened cannot be streamed: ``encode(_:)`` throws ``HistoryError/notEncodable(_:)`` and the
/// writer falls back to JSON. No model type uses them.
final class CompactEncoder: Encoder, SingleValueEncodingContainer {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    /// What the value being encoded has opened so far.
    enum Opened {
        case nothing, keyed, unkeyed
    }

    private(set) var bytes: [UInt8] = []
    private var keys: [String: UInt64] = [:]
    private var opened = Opened.nothing
    /// How deep the value being encoded is: a container may only be written at the depth it was opened at.
    private(set) var depth = 0
    private var unsupported: String?

    init() {
        bytes.reserveCapacity(4096)
    }

    /// `value` in the compact encoding, its format version first.
    static func encode<T: Encodable>(_ value: T) throws(HistoryError) -> Data {
        let encoder = CompactEncoder()
        encoder.bytes.append(CompactTag.formatVersion)
        do {
            try encoder.encodeValue(value)
        } catch {
            throw .notEncodable("\(error)")
        }
        if let unsupported = encoder.unsupported { throw .notEncodable(unsupported) }
        return Data(encoder.bytes)
    }

    // MARK: - Writing

    func write(_ tag: CompactTag) {
        bytes.append(tag.rawValue)
    }

    func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    func writeKey(_ key: some CodingKey) {
        let text = key.stringValue
        if let index = keys[text] {
            writeVarint(2 * index + 1)
            return
        }
        keys[text] = UInt64(keys.count)
        let utf8 = text.utf8
        writeVarint(2 * UInt64(utf8.count) + 2)
        bytes.append(contentsOf: utf8)
    }

    func writeString(_ value: String) {
        write(.string)
        let utf8 = value.utf8
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    func writeSigned(_ value: Int64) {
        if value >= 0 {
            write(.unsigned)
            writeVarint(UInt64(value))
        } else {
            write(.negative)
            writeVarint(UInt64(~value))
        }
    }

    func writeUnsigned(_ value: UInt64) {
        write(.unsigned)
        writeVarint(value)
    }

    /// Throws on what JSON cannot hold either (infinities, NaN), so both encodings refuse the same values.
    func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "not a finite number"))
        }
        if value >= 0, value < 9_007_199_254_740_992, value.rounded(.towardZero) == value, value.sign == .plus {
            write(.wholeDouble)
            writeVarint(UInt64(value))
            return
        }
        write(.double)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Encodes one value at the next depth; a value that opened nothing is an empty object, as
    /// `JSONEncoder` writes it.
    func encodeValue<T: Encodable>(_ value: T) throws {
        // JSONEncoder writes these its own way (base64, seconds, text), not as they encode themselves.
        if T.self == Data.self || T.self == Date.self || T.self == URL.self || T.self == Decimal.self {
            refuse("\(T.self), which JSONEncoder writes its own way")
        }
        let outer = opened
        let start = bytes.count
        opened = .nothing
        depth += 1
        defer {
            depth -= 1
            opened = outer
        }
        try value.encode(to: self)
        switch opened {
        case .keyed: writeVarint(0)
        case .unkeyed: write(.endOfArray)
        case .nothing:
            if bytes.count == start {
                write(.keyed)
                writeVarint(0)
            }
        }
    }

    /// Notes a use the stream cannot hold; ``encode(_:)`` throws it at the end.
    func refuse(_ reason: String) {
        if unsupported == nil { unsupported = reason }
    }

    /// Checks a container is written at the depth it was opened at (not after a sibling's value began).
    func check(depth containerDepth: Int) {
        if containerDepth != depth { refuse("a container written to out of order") }
    }

    // MARK: - Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch opened {
        case .nothing:
            write(.keyed)
            opened = .keyed
        case .keyed: break
        case .unkeyed: refuse("an object and an array in one value")
        }
        return KeyedEncodingContainer(CompactKeyedEncodingContainer<Key>(encoder: self, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch opened {
        case .nothing:
            write(.unkeyed)
            opened = .unkeyed
        case .unkeyed: break
        case .keyed: refuse("an object and an array in one value")
        }
        return CompactUnkeyedEncodingContainer(encoder: self, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if opened != .nothing { refuse("a single value in a container") }
        return self
    }

    // MARK: - SingleValueEncodingContainer

    func encodeNil() throws { write(.null) }
    func encode(_ value: Bool) throws { write(value ? .true : .false) }
    func encode(_ value: String) throws { writeString(value) }
    func encode(_ value: Double) throws { try writeDouble(value) }
    func encode(_ value: Float) throws { try writeDouble(Double(value)) }
    func encode(_ value: Int) throws { writeSigned(Int64(value)) }
    func encode(_ value: Int8) throws { writeSigned(Int64(value)) }
    func encode(_ value: Int16) throws { writeSigned(Int64(value)) }
    func encode(_ value: Int32) throws { writeSigned(Int64(value)) }
    func encode(_ value: Int64) throws { writeSigned(value) }
    func encode(_ value: UInt) throws { writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt8) throws { writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt16) throws { writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt32) throws { writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt64) throws { writeUnsigned(value) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }
}
