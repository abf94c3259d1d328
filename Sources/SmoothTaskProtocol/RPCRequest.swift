#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON-RPC 2.0 request as the daemon receives it, validated down to the method name.
public struct RPCRequest: Sendable, Equatable {
    /// The id to echo in the reply; `nil` for a notification, which gets no reply.
    public var id: JSONValue?
    /// The method name as sent; see ``Method`` for the ones that exist.
    public var method: String
    /// The params object; an absent `params` is an empty object.
    public var params: [String: JSONValue]

    /// Creates a request.
    public init(id: JSONValue?, method: String, params: [String: JSONValue] = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// ``params`` as compact JSON with sorted keys, for logs.
    public var paramsJSON: String {
        String(decoding: (try? RPCCoding.encoder.encode(params)) ?? Data(), as: UTF8.self)
    }

    /// Rejects a params key outside `known` with `-32602` naming it, so a typo is an error rather than a no-op.
    public func rejectUnknownParams(_ known: [String]) throws(RPCError) {
        if let unknown = params.keys.sorted().first(where: { !known.contains($0) }) {
            throw RPCError(
                .invalidParams,
                known.isEmpty
                    ? "unknown parameter '\(unknown)': \(method) takes none"
                    : "unknown parameter '\(unknown)' for \(method); known: \(known.joined(separator: ", "))",
                parameter: unknown
            )
        }
    }

    /// Decodes ``params`` into `type`, turning a mismatch into `-32602` naming the parameter at fault.
    public func decodeParams<Params: Decodable>(_ type: Params.Type) throws(RPCError) -> Params {
        do {
            let data = try JSONEncoder().encode(params)
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw RPCError.invalidParams(from: error, params: params)
        } catch {
            throw RPCError(.invalidParams, "params could not be read: \(error)")
        }
    }
}

extension RPCError {
    /// Maps a decoding failure of params to `-32602`, naming the offending key and what it should be.
    ///
    /// `params` locates the culprit when Foundation does not: on Linux, a fraction or an out-of-range
    /// number where an integer is expected fails as "The given data was not valid JSON." with an empty
    /// coding path. The data did parse (it was just encoded from `params`), so it is such a number.
    static func invalidParams(from error: DecodingError, params: [String: JSONValue] = [:]) -> RPCError {
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let key = context.codingPath.last?.stringValue ?? "params"
            return RPCError(.invalidParams, "\(key) must be \(jsonTypeName(of: type))", parameter: key)
        case .keyNotFound(let key, _):
            return RPCError(.invalidParams, "missing parameter \(key.stringValue)", parameter: key.stringValue)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let numbers = params.compactMap { key, value in
                if case .number(let number) = value { (key, number) } else { nil }
            }
            if let (key, number) = numbers.min(by: { $0.0 < $1.0 }) {
                return RPCError(.invalidParams, "\(key) must be an integer (got \(number))", parameter: key)
            }
            return RPCError(.invalidParams, "params could not be read: \(context.debugDescription)")
        case .dataCorrupted(let context):
            let key = context.codingPath.last?.stringValue
            return RPCError(.invalidParams, context.debugDescription, parameter: key)
        @unknown default:
            return RPCError(.invalidParams, "invalid params")
        }
    }

    private static func jsonTypeName(of type: Any.Type) -> String {
        switch type {
        case is Bool.Type, is Bool?.Type: "a boolean (true or false)"
        case is Int.Type, is Int?.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        default: "of another type"
        }
    }
}
