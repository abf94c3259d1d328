#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns one frame's payload into an ``RPCRequest``, or rejects it with the error JSON-RPC 2.0 prescribes.
public enum RPCRequestParser {
    /// Parses `payload`; a rejection carries the request's id when it could be read, `null` otherwise.
    /// Payloads over ``JSONStructureLimit`` are refused before decoding, so the cost is bounded.
    public static func parse(_ payload: some Collection<UInt8>) throws(RejectedRequest) -> RPCRequest {
        try JSONStructureLimit.check(payload)
        let value: JSONValue
        var bytes = Array(payload)
        // A numeric id is kept as sent and hidden from the decoder, which would round it (see RawRequestID).
        let idRange = RawRequestID.numberRange(in: bytes)
        let numericID = idRange.map { JSONValue(numberText: String(decoding: bytes[$0], as: UTF8.self)) }
        if let idRange { bytes.replaceSubrange(idRange, with: [UInt8(ascii: "0")]) }
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw RejectedRequest(id: .null, error: RPCError(.parseError, "payload is not valid UTF-8 JSON"))
        }
        guard case .object(let envelope) = value else {
            let message = if case .array = value {
                "batch requests are not supported: send one request object per frame"
            } else {
                "a request must be a JSON object, got \(value.typeName)"
            }
            throw RejectedRequest(id: .null, error: RPCError(.invalidRequest, message))
        }
        let id = numericID ?? envelope["id"]
        switch id {
        case nil, .null, .string, .integer, .number, .rawNumber: break
        case .some(let other):
            throw RejectedRequest(
                id: .null,
                error: RPCError(.invalidRequest, "id must be a string, a number or null, got \(other.typeName)")
            )
        }
        let replyID = id ?? .null
        guard envelope["jsonrpc"] == .string("2.0") else {
            throw RejectedRequest(id: replyID, error: RPCError(.invalidRequest, #"jsonrpc must be "2.0""#))
        }
        guard case .string(let method) = envelope["method"] else {
            throw RejectedRequest(id: replyID, error: RPCError(.invalidRequest, "method must be a string"))
        }
        let params: [String: JSONValue]
        switch envelope["params"] {
        case nil, .null: params = [:]
        case .object(let object): params = object
        case .some(let other):
            throw RejectedRequest(
                id: replyID,
                error: RPCError(.invalidParams, "params must be an object, got \(other.typeName)")
            )
        }
        return RPCRequest(id: id, method: method, params: params)
    }
}
