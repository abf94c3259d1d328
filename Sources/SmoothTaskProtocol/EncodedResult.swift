#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A method result together with its JSON, encoded once with ``RPCCoding/encoder`` and reused by every
/// reply that carries it (`metrics.get` serves one collection to many requests until the next tick).
///
/// ``RPCResponse/encoded()`` copies ``json`` into the reply verbatim; any other encoder encodes
/// ``value`` as usual, so both paths give the same bytes.
public struct EncodedResult: Encodable, Sendable {
    /// The result as a value.
    public let value: any Encodable & Sendable
    /// `value`'s JSON: sorted keys, no whitespace, exactly as it appears inside a reply.
    public let json: Data

    /// Encodes `value` now; throws what the encoder throws.
    public init(_ value: any Encodable & Sendable) throws {
        self.value = value
        self.json = try RPCCoding.encoder.encode(value)
    }

    /// `value` with `json`, which the caller made to be exactly what ``RPCCoding/encoder`` gives for it
    /// (say, from an earlier encoding with one member written anew).
    public init(_ value: any Encodable & Sendable, json: Data) {
        self.value = value
        self.json = json
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
