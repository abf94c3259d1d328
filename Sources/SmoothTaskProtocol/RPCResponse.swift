#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

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

    /// The reply's JSON bytes, keys sorted so equal replies are equal bytes; the id is written as
    /// the client sent it (a ``JSONValue/rawNumber(_:)`` verbatim).
    public func encoded() -> Data {
        do {
            return try Self.assemble(id: id, outcome: outcome)
        } catch {
            let fallback = RPCResponse(id: id, error: RPCError(.internalError, "reply could not be encoded: \(error)"))
            // An RPCError always encodes; a failure here would be a bug in Foundation.
            return (try? Self.assemble(id: id, outcome: fallback.outcome)) ?? Data()
        }
    }

    /// The bytes the encoder would write for the whole reply (keys sorted: `error`, `id`, `jsonrpc`,
    /// `result`; no whitespace), built from the id's JSON and the rest encoded without it, so the id
    /// can be raw text and an ``EncodedResult`` is spliced in without decoding it again.
    private static func assemble(id: JSONValue, outcome: Outcome) throws -> Data {
        let idJSON = try id.rawNumberText.map { Data($0.utf8) } ?? RPCCoding.encoder.encode(id)
        var reply = Data()
        switch outcome {
        case .result(let result):
            let resultJSON = try (result as? EncodedResult)?.json ?? RPCCoding.encoder.encode(ResultBox(result))
            reply.reserveCapacity(resultJSON.count + idJSON.count + 32)
            reply.append(contentsOf: resultReplyHead)
            reply.append(idJSON)
            reply.append(contentsOf: resultReplyMiddle)
            reply.append(resultJSON)
            reply.append(UInt8(ascii: "}"))
        case .error(let error):
            reply.append(contentsOf: #"{"error":"#.utf8)
            reply.append(try RPCCoding.encoder.encode(error))
            reply.append(contentsOf: #","id":"#.utf8)
            reply.append(idJSON)
            reply.append(contentsOf: #","jsonrpc":"2.0"}"#.utf8)
        }
        return reply
    }

    /// What comes before the id in a successful reply.
    private static let resultReplyHead = Array(#"{"id":"#.utf8)
    /// What comes between the id and the result in a successful reply.
    private static let resultReplyMiddle = Array(#","jsonrpc":"2.0","result":"#.utf8)

    /// Appends the successful reply carrying `resultJSON` (a result already encoded with
    /// ``RPCCoding/encoder``) for the request whose id is `idJSON`: the same bytes ``encoded()`` gives
    /// for that id and an ``EncodedResult`` of that JSON, without a `Data` in between.
    public static func writeResultReply(idJSON: [UInt8], resultJSON: ByteBuffer, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: resultReplyHead.count + idJSON.count + resultReplyMiddle.count + resultJSON.readableBytes + 1)
        buffer.writeBytes(resultReplyHead)
        buffer.writeBytes(idJSON)
        buffer.writeBytes(resultReplyMiddle)
        buffer.writeImmutableBuffer(resultJSON)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    /// Encodes an existential result as itself (an `any Encodable` cannot be passed to `encode` directly).
    private struct ResultBox: Encodable {
        let value: any Encodable
        init(_ value: any Encodable) { self.value = value }
        func encode(to encoder: any Encoder) throws {
            // Through a container, so the encoder's own handling of a top-level value applies as before.
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }
}
