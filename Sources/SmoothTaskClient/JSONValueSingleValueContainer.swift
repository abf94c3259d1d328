/// One JSON value read whole, for ``JSONValueDecoder``.
struct JSONValueSingleValueContainer: SingleValueDecodingContainer {
    let decoder: JSONValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    private var document: JSONDocument { decoder.document }
    private var entry: Int { decoder.entry }

    func decodeNil() -> Bool { document.isNull(at: entry) }
    func decode(_ type: Bool.Type) throws -> Bool { try document.bool(at: entry, codingPath: codingPath) }
    func decode(_ type: String.Type) throws -> String { try document.string(at: entry, codingPath: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try document.floatingPoint(type, "Double", at: entry, codingPath: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try document.floatingPoint(type, "Float", at: entry, codingPath: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try document.integer(type, "Int", at: entry, codingPath: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(type, "Int8", at: entry, codingPath: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(type, "Int16", at: entry, codingPath: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(type, "Int32", at: entry, codingPath: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(type, "Int64", at: entry, codingPath: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try document.integer(type, "UInt", at: entry, codingPath: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(type, "UInt8", at: entry, codingPath: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(type, "UInt16", at: entry, codingPath: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(type, "UInt32", at: entry, codingPath: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(type, "UInt64", at: entry, codingPath: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
}
