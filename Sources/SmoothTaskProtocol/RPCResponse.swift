#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON-RPC 2.0 reply as the daemon sends it: `{"jsonrpc":"2.0","id":...,"result"|"error":...}`.
public struct RPCResponse: Encodable, Sendable {
    /// The request's id, or `null` when it could not be read.
    public var id: JSONValue
    /// The result or the error.
    public var outcome: Outcome

    /// What a reply carries.
    public enum Outcome: Sendable {
        /// The method's result.
        case result(any Encodable & Sendable)
        /// Why the request failed.
        case error(RPCError)
    }

    /// Creates a successful reply.
    public init(id: JSONValue, result: any Encodable & Sendable) {
        self.id = id
        self.outcome = .result(result)
    }

    /// Creates an error reply.
    public init(id: JSONValue, error: RPCError) {
        self.id = id
        self.outcome = .error(error)
    }

    enum CodingKeys: String, CodingKey {
        case jsonrpc, id, result, error
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        try container.encode(id, forKey: .id)
        switch outcome {
        case .result(let result): try container.encode(result, forKey: .result)
        case .error(let error): try container.encode(error, forKey: .error)
        }
    }

    /// The reply's JSON bytes, keys sorted so equal replies are equal bytes.
    public func encoded() -> Data {
        do {
            if case .result(let result as EncodedResult) = outcome { return try Self.splice(id: id, result: result.json) }
            return try RPCCoding.encoder.encode(self)
        } catch {
            let fallback = RPCResponse(id: id, error: RPCError(.internalError, "reply could not be encoded: \(error)"))
            // An RPCError always encodes; a failure here would be a bug in Foundation.
            return (try? RPCCoding.encoder.encode(fallback)) ?? Data()
        }
    }

    /// The bytes the encoder writes for a result reply (keys sorted: `id`, `jsonrpc`, `result`; no
    /// whitespace), with `result` already encoded.
    private static func splice(id: JSONValue, result: Data) throws -> Data {
        let idJSON = try RPCCoding.encoder.encode(id)
        var reply = Data(capacity: result.count + idJSON.count + 32)
        reply.append(contentsOf: #"{"id":"#.utf8)
        reply.append(idJSON)
        reply.append(contentsOf: #","jsonrpc":"2.0","result":"#.utf8)
        reply.append(result)
        reply.append(UInt8(ascii: "}"))
        return reply
    }
}
