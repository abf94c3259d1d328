/// An array of ``CompactEncoder``: its values one after another.
struct CompactUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: CompactEncoder
    /// The encoder's depth when this container was opened.
    let depth: Int
    private(set) var count = 0
    var codingPath: [any CodingKey] { encoder.codingPath }

    init(encoder: CompactEncoder, depth: Int) {
        self.encoder = encoder
        self.depth = depth
    }

    private mutating func next() {
        encoder.check(depth: depth)
        count += 1
    }

    mutating func encodeNil() throws {
        next()
        encoder.write(.null)
    }

    mutating func encode(_ value: Bool) throws {
        next()
        encoder.write(value ? .true : .false)
    }

    mutating func encode(_ value: String) throws {
        next()
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        next()
        try encoder.writeDouble(value)
    }

    mutating func encode(_ value: Float) throws {
        next()
        try encoder.writeDouble(Double(value))
    }

    mutating func encode(_ value: Int) throws { try encodeSigned(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try encodeSigned(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try encodeSigned(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try encodeSigned(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try encodeSigned(value) }
    mutating func encode(_ value: UInt) throws { try encodeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try encodeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try encodeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try encodeUnsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try encodeUnsigned(value) }

    private mutating func encodeSigned(_ value: Int64) throws {
        next()
        encoder.writeSigned(value)
    }

    private mutating func encodeUnsigned(_ value: UInt64) throws {
        next()
        encoder.writeUnsigned(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        next()
        try encoder.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.refuse("a nested container")
        return KeyedEncodingContainer(CompactKeyedEncodingContainer<NestedKey>(encoder: encoder, depth: -1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.refuse("a nested container")
        return CompactUnkeyedEncodingContainer(encoder: encoder, depth: -1)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.refuse("a super encoder")
        return encoder
    }
}
