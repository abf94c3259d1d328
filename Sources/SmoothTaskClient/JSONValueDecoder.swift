#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskProtocol

/// Decodes any `Decodable` from a JSON text, reading only what the type asks for: the client's
/// reader of replies.
///
/// The values are those `JSONDecoder` gives (the types' own `init(from:)` runs either way; numbers
/// are converted from their JSON text to the type each field asks for; of duplicate member names
/// the first counts), without its cost for a process that decodes once and exits:
/// - `JSONDecoder` asks, of every distinct type it decodes, whether it is one of its special cases
///   (`as?` a marker protocol), and each first such question walks every protocol conformance
///   record in the binary (about 5,400 in smoothtaskctl), once per type of the ~40 in a `status`
///   reply. This decoder makes no dynamic casts, and its generic containers are built in this
///   module, whose release build reaches metadata through accessor functions (Package.swift,
///   `metadataAccessors`), where JSONDecoder's are precompiled into FoundationEssentials; together
///   the two took the records `status` walks from 421,000 to 254,000.
/// - The text is checked once (``JSONReader``) and then read in place (``JSONDocument``): no tree of
///   dictionaries and Strings, no String per member name, no coding-path array per value
///   (``JSONCodingPath``). Decoding the 21 KB `status` reply took 8.1M instructions with such a tree,
///   7.0M of them in steady state (what a second decode of the same reply adds); it takes 3.3M, 2.2M
///   in steady state, and `smoothtaskctl status` 20.2M instead of 25.0M in all (callgrind, against
///   bench/pingpong_server answering a recorded reply). `status --json`: 53.9M -> 27.8M.
///
/// It has no strategies (keys, dates and data as `JSONDecoder`'s defaults, which the protocol uses).
public struct JSONValueDecoder: Decoder {
    /// The text and the place of each value in it.
    let document: JSONDocument
    /// The tape index of the value this decoder reads.
    let entry: Int
    /// The keys from the top of the text to the value; `nil` at the top.
    let path: JSONCodingPath?

    init(document: JSONDocument, entry: Int, path: JSONCodingPath?) {
        self.document = document
        self.entry = entry
        self.path = path
    }

    /// The keys and indexes from the top of the JSON text to this decoder's value, for error messages.
    public var codingPath: [any CodingKey] { JSONCodingPath.keys(path) }
    /// Always empty: the protocol's types read no decoding options.
    public var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes `type` from the JSON text in `data`.
    ///
    /// - Throws: `DecodingError`, as `JSONDecoder` does: `dataCorrupted` for text that is not JSON,
    ///   `typeMismatch`, `keyNotFound` or `valueNotFound` for JSON that is not a `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONValueDecoder(document: JSONReader.parse(data), entry: 0, path: nil).decode(type)
    }

    /// `T` from this decoder's value: a ``SmoothTaskProtocol/JSONValue`` straight from the text
    /// (``JSONDocument/jsonValue(at:codingPath:)`` says why), anything else by its `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self {
            return unsafeBitCast(try document.jsonValue(at: entry) { codingPath }, to: T.self)
        }
        return try T(from: self)
    }

    /// `T` from the value at `entry`, a member or element at `key` below `path`: the coding path
    /// of a ``SmoothTaskProtocol/JSONValue`` is made only for an error.
    static func decode<T: Decodable>(
        _ type: T.Type, at entry: Int, in document: JSONDocument, path: JSONCodingPath?, key: some CodingKey
    ) throws -> T {
        if T.self == JSONValue.self {
            return unsafeBitCast(try document.jsonValue(at: entry) { JSONCodingPath.keys(path, appending: key) }, to: T.self)
        }
        return try T(from: JSONValueDecoder(document: document, entry: entry, path: JSONCodingPath(parent: path, key: key)))
    }

    /// The members of the JSON object this decoder reads; `typeMismatch` for any other value.
    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard document.tape[entry].kind == .object else {
            throw document.mismatch([String: JSONValue].self, "Dictionary<String, JSONValue>", at: entry, codingPath: codingPath)
        }
        return KeyedDecodingContainer(JSONValueKeyedContainer<Key>(document: document, object: entry, path: path))
    }

    /// The elements of the JSON array this decoder reads; `typeMismatch` for any other value.
    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard document.tape[entry].kind == .array else {
            throw document.mismatch([JSONValue].self, "Array<JSONValue>", at: entry, codingPath: codingPath)
        }
        return JSONValueUnkeyedContainer(document: document, array: entry, path: path)
    }

    /// The value itself, for a type that decodes from one JSON value (numbers, strings, enums).
    public func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONValueSingleValueContainer(decoder: self)
    }
}
