#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskProtocol

/// Decodes any `Decodable` from a parsed ``JSONValue`` tree: the client's reader of replies.
///
/// The values are those `JSONDecoder` gives (the types' own `init(from:)` runs either way; numbers
/// are converted from their JSON text to the type each field asks for), without its cost for a
/// process that decodes once and exits: `JSONDecoder` asks, of every distinct type it decodes,
/// whether it is one of its special cases (`as?` a marker protocol), and each first such question
/// walks every protocol conformance record in the binary (about 5,400 in smoothtaskctl), once per
/// type of the ~40 in a `status` reply. This decoder makes no dynamic casts, and its generic
/// containers are built in this module, whose release build reaches metadata through accessor
/// functions (Package.swift, `metadataAccessors`), where JSONDecoder's are precompiled into
/// FoundationEssentials; together the two took the records `status` walks from 421,000 to
/// 254,000. It has no strategies (keys, dates and data as `JSONDecoder`'s defaults, which the
/// protocol uses).
public struct JSONValueDecoder: Decoder {
    /// The keys and indexes from the top of the JSON text to ``value``, for error messages.
    public let codingPath: [any CodingKey]
    /// Always empty: the protocol's types read no decoding options.
    public var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// The value this decoder reads.
    let value: JSONValue

    init(value: JSONValue, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    /// Decodes `type` from the JSON text in `data`.
    ///
    /// - Throws: `DecodingError`, as `JSONDecoder` does: `dataCorrupted` for text that is not JSON,
    ///   `typeMismatch`, `keyNotFound` or `valueNotFound` for JSON that is not a `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try T(from: JSONValueDecoder(value: JSONReader.parse(data), codingPath: []))
    }

    /// The members of the JSON object this decoder reads; `typeMismatch` for any other value.
    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(JSONValueKeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    /// The elements of the JSON array this decoder reads; `typeMismatch` for any other value.
    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self) }
        return JSONValueUnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    /// The value itself, for a type that decodes from one JSON value (numbers, strings, enums).
    public func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONValueSingleValueContainer(decoder: self)
    }

    /// The decoder of `value`, a member or element of this one's, at `key`.
    func child(_ value: JSONValue, at key: any CodingKey) -> JSONValueDecoder {
        JSONValueDecoder(value: value, codingPath: codingPath + [key])
    }

    // MARK: The leaf conversions every container uses.

    var isNull: Bool { value == .null }

    func bool() throws -> Bool {
        let type = Bool.self
        guard case .bool(let flag) = value else { throw mismatch(type) }
        return flag
    }

    func string() throws -> String {
        let type = String.self
        guard case .string(let text) = value else { throw mismatch(type) }
        return text
    }

    /// An integer of type `T`, from an integer's text or a number with no fraction that fits `T`.
    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let converted: T?
        switch value {
        case .integer(let integer): converted = T(exactly: integer)
        case .rawNumber(let text): converted = T(text) ?? Double(text).flatMap { T(exactly: $0) }
        case .number(let number): converted = T(exactly: number)
        default: throw mismatch(type)
        }
        guard let converted else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Number \(value) does not fit in \(T.self)."))
        }
        return converted
    }

    /// A floating-point number, rounded once from the JSON text.
    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type) throws -> T {
        switch value {
        case .integer(let integer): return T(integer)
        case .rawNumber(let text):
            guard let number = T(text) else { throw mismatch(type) }
            // Text beyond the type's range parses as infinity; JSONDecoder refuses it.
            guard number.isFinite else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Number \(text) does not fit in \(T.self)."))
            }
            return number
        case .number(let number): return T(number)
        default: throw mismatch(type)
        }
    }

    func value<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: self)
    }

    /// The error for a value that is not a `type`: `valueNotFound` for `null`, as `JSONDecoder` says.
    func mismatch(_ type: Any.Type) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Cannot get \(type) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(value.typeName) instead."))
    }
}
