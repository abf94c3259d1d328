/// An object of ``CompactEncoder``: each entry its key reference, then its value.
struct CompactKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: CompactEncoder
    /// The encoder's depth when this container was opened.
    let depth: Int
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func key(_ key: Key) {
        encoder.check(depth: depth)
        encoder.writeKey(key)
    }

    mutating func encodeNil(forKey key: Key) throws {
        self.key(key)
        encoder.write(.null)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        self.key(key)
        encoder.write(value ? .true : .false)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        self.key(key)
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        self.key(key)
        try encoder.writeDouble(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        self.key(key)
        try encoder.writeDouble(Double(value))
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeSigned(Int64(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeSigned(Int64(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeSigned(Int64(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeSigned(Int64(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeSigned(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeUnsigned(value, key) }

    private func encodeSigned(_ value: Int64, _ key: Key) throws {
        self.key(key)
        encoder.writeSigned(value)
    }

    private func encodeUnsigned(_ value: UInt64, _ key: Key) throws {
        self.key(key)
        encoder.writeUnsigned(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.key(key)
        try encoder.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.refuse("a nested container")
        return KeyedEncodingContainer(CompactKeyedEncodingContainer<NestedKey>(encoder: encoder, depth: -1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.refuse("a nested container")
        return CompactUnkeyedEncodingContainer(encoder: encoder, depth: -1)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.refuse("a super encoder")
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.refuse("a super encoder")
        return encoder
    }
}
