/// The elements of a JSON array, read in order for ``JSONValueDecoder``: a cursor over the tape,
/// stepping over each element whole.
struct JSONValueUnkeyedContainer: UnkeyedDecodingContainer {
    let document: JSONDocument
    /// The keys from the top of the text to the array.
    let path: JSONCodingPath?
    let count: Int?
    private(set) var currentIndex = 0
    /// The tape index of the element at `currentIndex`.
    private var element: Int

    init(document: JSONDocument, array: Int, path: JSONCodingPath?) {
        self.document = document
        self.path = path
        count = document.tape[array].count
        element = array + 1
    }

    var codingPath: [any CodingKey] { JSONCodingPath.keys(path) }
    var isAtEnd: Bool { currentIndex >= count! }

    /// The path of the element at `currentIndex`, for its errors.
    private var elementPath: [any CodingKey] { JSONCodingPath.keys(path, appending: JSONElementKey(index: currentIndex)) }

    /// The tape index of the next element, which a read then steps past (a failed read does not).
    private func next(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: elementPath, debugDescription: "Unkeyed container is at end."))
        }
        return element
    }

    private mutating func advance() {
        element = document.tape[element].next
        currentIndex += 1
    }

    /// Steps past the element just read.
    private mutating func advanced<T>(_ value: T) -> T {
        advance()
        return value
    }

    @inline(__always)
    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ name: String) throws -> T {
        try document.integer(type, name, at: next(type), codingPath: elementPath)
    }

    @inline(__always)
    private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type, _ name: String) throws -> T {
        try document.floatingPoint(type, name, at: next(type), codingPath: elementPath)
    }

    private func decoder(_ value: Int) -> JSONValueDecoder {
        JSONValueDecoder(document: document, entry: value, path: JSONCodingPath(parent: path, key: JSONElementKey(index: currentIndex)))
    }

    mutating func decodeNil() throws -> Bool {
        guard document.isNull(at: try next(Never.self)) else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let value = try document.bool(at: next(type), codingPath: elementPath)
        return advanced(value)
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let value = try document.string(at: next(type), codingPath: elementPath)
        return advanced(value)
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        let value = try floatingPoint(type, "Double")
        return advanced(value)
    }

    mutating func decode(_ type: Float.Type) throws -> Float {
        let value = try floatingPoint(type, "Float")
        return advanced(value)
    }

    mutating func decode(_ type: Int.Type) throws -> Int {
        let value = try integer(type, "Int")
        return advanced(value)
    }

    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        let value = try integer(type, "Int8")
        return advanced(value)
    }

    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        let value = try integer(type, "Int16")
        return advanced(value)
    }

    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        let value = try integer(type, "Int32")
        return advanced(value)
    }

    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        let value = try integer(type, "Int64")
        return advanced(value)
    }

    mutating func decode(_ type: UInt.Type) throws -> UInt {
        let value = try integer(type, "UInt")
        return advanced(value)
    }

    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        let value = try integer(type, "UInt8")
        return advanced(value)
    }

    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        let value = try integer(type, "UInt16")
        return advanced(value)
    }

    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        let value = try integer(type, "UInt32")
        return advanced(value)
    }

    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        let value = try integer(type, "UInt64")
        return advanced(value)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try JSONValueDecoder.decode(type, at: next(type), in: document, path: path, key: JSONElementKey(index: currentIndex))
        return advanced(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try decoder(next(KeyedDecodingContainer<NestedKey>.self)).container(keyedBy: type)
        return advanced(container)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try decoder(next((any UnkeyedDecodingContainer).self)).unkeyedContainer()
        return advanced(container)
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try decoder(next((any Decoder).self))
        return advanced(decoder)
    }
}
