/// A JSON text checked by ``JSONReader``, with the place of each value (its tape), read lazily by
/// ``JSONValueDecoder`` and its containers: a member is found by comparing its name's bytes, a
/// string is made only when a field asks for one and a number is converted from its text straight
/// to the type its field asks for.
///
/// `smoothtaskctl status` decodes a 21 KB reply; the tree of `JSONValue`s this replaced cost about
/// 7M instructions in steady state (of 25M for the whole command), mostly dictionaries, Strings and
/// coding-path arrays built for members nobody compared; read in place, 2.2M (the rest is mostly
/// Codable's own: a box per keyed container, generic metadata look-ups, reference counting). The
/// owner of a copy of the text (a memcpy), so that a decoder kept by a type's `init(from:)` never
/// points into freed memory.
final class JSONDocument {
    /// The text, owned (allocated by ``JSONReader/parse(_:)``, freed on deinit).
    let bytes: UnsafeBufferPointer<UInt8>
    /// One entry per value and member name, in text order; the top-level value is entry 0.
    let tape: [JSONTapeEntry]
    /// The last entry, outside the text, which reads as `null`: the value of a `super` member that is absent.
    var absent: Int { tape.count - 1 }

    init(bytes: UnsafeMutableBufferPointer<UInt8>, tape: [JSONTapeEntry]) {
        self.bytes = UnsafeBufferPointer(bytes)
        self.tape = tape
    }

    deinit {
        bytes.deallocate()
    }

    // MARK: Objects

    /// The tape index of the value of the first member of the object at `object` named `name`, or
    /// `nil`. The first, as `JSONDecoder` keeps the first of duplicate names; names compare as Swift
    /// Strings do (canonical equivalence) when either is not plain ASCII, byte by byte otherwise.
    func member(named name: String, in object: Int) -> Int? {
        var utf8Name = name
        return utf8Name.withUTF8 { wanted -> Int? in
            let wantedIsASCII = Self.isASCII(wanted)
            var key = object + 1
            let end = tape[object].next
            while key < end {
                let entry = tape[key]
                if entry.flags == 0, wantedIsASCII {
                    if entry.end - entry.start == wanted.count, equalBytes(from: entry.start, wanted) { return key + 1 }
                } else if string(at: key) == name {
                    return key + 1
                }
                key = tape[key + 1].next
            }
            return nil
        }
    }

    /// Whether `text` is all ASCII, eight bytes at a time (names are compared once per member asked for).
    private static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = UnsafeRawPointer(text.baseAddress) else { return true }
        var offset = 0
        var bits: UInt64 = 0
        while offset + 8 <= text.count {
            bits |= base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < text.count {
            bits |= UInt64(text[offset])
            offset += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// Whether the text from `start` holds `other`'s bytes, eight at a time.
    private func equalBytes(from start: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let mine = UnsafeRawPointer(bytes.baseAddress), let theirs = UnsafeRawPointer(other.baseAddress) else { return other.isEmpty }
        var offset = 0
        while offset + 8 <= other.count {
            guard mine.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self) == theirs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else {
                return false
            }
            offset += 8
        }
        while offset < other.count {
            guard bytes[start + offset] == other[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// The distinct member names of the object at `object`, in text order, each spelled as its first
    /// occurrence: the keys `JSONDecoder`'s dictionary of the members has.
    func memberNames(of object: Int) -> [String] {
        var names: [String] = []
        names.reserveCapacity(tape[object].count)
        var seen = Set<String>(minimumCapacity: tape[object].count)
        var key = object + 1
        let end = tape[object].next
        while key < end {
            let name = string(at: key)
            if seen.insert(name).inserted { names.append(name) }
            key = tape[key + 1].next
        }
        return names
    }

    // MARK: Scalars

    /// The string at `entry`, unescaped (its text was checked by ``JSONReader``).
    func string(at entry: Int) -> String {
        let entry = tape[entry]
        let text = UnsafeBufferPointer(rebasing: bytes[entry.start..<entry.end])
        guard entry.flags & JSONTapeEntry.escaped != 0 else { return String(decoding: text, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(text.count)
        var index = entry.start
        while index < entry.end {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                unescaped.append(byte)
                continue
            }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "b"): unescaped.append(0x08)
            case UInt8(ascii: "f"): unescaped.append(0x0C)
            case UInt8(ascii: "n"): unescaped.append(0x0A)
            case UInt8(ascii: "r"): unescaped.append(0x0D)
            case UInt8(ascii: "t"): unescaped.append(0x09)
            case UInt8(ascii: "u"):
                // Checked by the reader: it cannot throw or be unpaired here.
                let value = (try? JSONReader.unicodeEscape(in: bytes, at: &index)) ?? nil
                unescaped.append(contentsOf: UTF8.encode(value.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}")!)
            default: unescaped.append(escape)  // `"`, `\` and `/` stand for themselves
            }
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The text of the number at `entry`, for the conversions ``JSONValue`` keeps for unusual numbers.
    func text(at entry: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[tape[entry].start..<tape[entry].end]), as: UTF8.self)
    }

    /// The number at `entry` as an `Int64` when its text is an integer's of at most 18 digits (which
    /// always fits), `nil` otherwise; read without making a String, for the usual case.
    func smallInteger(at entry: Int) -> Int64? {
        let entry = tape[entry]
        guard entry.flags & JSONTapeEntry.fractionOrExponent == 0 else { return nil }
        var index = entry.start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard entry.end - index <= 18 else { return nil }
        var value: Int64 = 0
        while index < entry.end {
            value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
            index += 1
        }
        return negative ? -value : value
    }

    /// Whether the number at `entry` is written `-0`, which is `-0.0` as a floating-point number.
    func isNegativeZero(at entry: Int) -> Bool {
        let entry = tape[entry]
        return entry.end - entry.start == 2 && bytes[entry.start] == UInt8(ascii: "-")
            && bytes[entry.start + 1] == UInt8(ascii: "0")
    }

    /// The JSON type's name, for error messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    func typeName(at entry: Int) -> String {
        switch tape[entry].kind {
        case .null: "null"
        case .false, .true: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
