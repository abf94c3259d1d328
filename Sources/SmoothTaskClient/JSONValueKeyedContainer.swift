/// The members of a JSON object, read by key for ``JSONValueDecoder``: each key is looked up by
/// comparing its bytes with the member names in the text (``JSONDocument/member(named:in:)``), and
/// the coding path of a member is made only for a nested value or an error. Members no key asks for
/// are never read.
struct JSONValueKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let document: JSONDocument
    /// The tape index of the object.
    let object: Int
    /// The keys from the top of the text to the object.
    let path: JSONCodingPath?

    var codingPath: [any CodingKey] { JSONCodingPath.keys(path) }

    var allKeys: [Key] { document.memberNames(of: object).compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { document.member(named: key.stringValue, in: object) != nil }

    /// The tape index of the value at `key`; `keyNotFound` if the object has no such member.
    private func value(_ key: Key) throws -> Int {
        guard let value = document.member(named: key.stringValue, in: object) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return value
    }

    /// The tape index of the value at `key`, or `nil` when it is absent or `null` (`decodeIfPresent`,
    /// in one look-up where the default implementation makes three).
    private func presentValue(_ key: Key) -> Int? {
        guard let value = document.member(named: key.stringValue, in: object), !document.isNull(at: value) else { return nil }
        return value
    }

    @inline(__always)
    private func decoder(_ value: Int, _ key: Key) -> JSONValueDecoder {
        JSONValueDecoder(document: document, entry: value, path: JSONCodingPath(parent: path, key: key))
    }

    @inline(__always)
    private func bool(_ value: Int, _ key: Key) throws -> Bool {
        try document.bool(at: value, codingPath: JSONCodingPath.keys(path, appending: key))
    }

    @inline(__always)
    private func string(_ value: Int, _ key: Key) throws -> String {
        try document.string(at: value, codingPath: JSONCodingPath.keys(path, appending: key))
    }

    @inline(__always)
    private func integer<T: FixedWidthInteger>(_ value: Int, _ key: Key, _ type: T.Type, _ name: String) throws -> T {
        try document.integer(type, name, at: value, codingPath: JSONCodingPath.keys(path, appending: key))
    }

    @inline(__always)
    private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Int, _ key: Key, _ type: T.Type, _ name: String) throws -> T {
        try document.floatingPoint(type, name, at: value, codingPath: JSONCodingPath.keys(path, appending: key))
    }

    func decodeNil(forKey key: Key) throws -> Bool { document.isNull(at: try value(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try bool(value(key), key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(value(key), key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try floatingPoint(value(key), key, type, "Double") }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try floatingPoint(value(key), key, type, "Float") }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(value(key), key, type, "Int") }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(value(key), key, type, "Int8") }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(value(key), key, type, "Int16") }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(value(key), key, type, "Int32") }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(value(key), key, type, "Int64") }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(value(key), key, type, "UInt") }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(value(key), key, type, "UInt8") }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(value(key), key, type, "UInt16") }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(value(key), key, type, "UInt32") }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(value(key), key, type, "UInt64") }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONValueDecoder.decode(type, at: value(key), in: document, path: path, key: key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try presentValue(key).map { try bool($0, key) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try presentValue(key).map { try string($0, key) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try presentValue(key).map { try floatingPoint($0, key, type, "Double") }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try presentValue(key).map { try floatingPoint($0, key, type, "Float") } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try presentValue(key).map { try integer($0, key, type, "Int") } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try presentValue(key).map { try integer($0, key, type, "Int8") } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try presentValue(key).map { try integer($0, key, type, "Int16") } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try presentValue(key).map { try integer($0, key, type, "Int32") } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try presentValue(key).map { try integer($0, key, type, "Int64") } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try presentValue(key).map { try integer($0, key, type, "UInt") } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try presentValue(key).map { try integer($0, key, type, "UInt8") } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try presentValue(key).map { try integer($0, key, type, "UInt16") }
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try presentValue(key).map { try integer($0, key, type, "UInt32") }
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try presentValue(key).map { try integer($0, key, type, "UInt64") }
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try presentValue(key).map { try JSONValueDecoder.decode(type, at: $0, in: document, path: path, key: key) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(value(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(value(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let value = document.member(named: JSONElementKey.superKey.stringValue, in: object) ?? document.absent
        return JSONValueDecoder(document: document, entry: value, path: JSONCodingPath(parent: path, key: JSONElementKey.superKey))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder(document.member(named: key.stringValue, in: object) ?? document.absent, key)
    }
}
