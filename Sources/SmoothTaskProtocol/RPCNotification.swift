#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A JSON-RPC 2.0 notification the daemon pushes: `{"jsonrpc":"2.0","method":...,"params":...}`, no `id`.
public struct RPCNotification: Encodable, Sendable {
    /// The notification's name, e.g. `metrics.update`.
    public var method: String
    /// Its params object.
    public var params: any Encodable & Sendable

    /// Creates a notification.
    public init(method: String, params: any Encodable & Sendable) {
        self.method = method
        self.params = params
    }

    enum CodingKeys: String, CodingKey {
        case jsonrpc, method, params
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        try container.encode(method, forKey: .method)
        try container.encode(params, forKey: .params)
    }

    /// The notification's JSON bytes, keys sorted; `nil` if its params cannot be encoded.
    public func encoded() -> Data? {
        try? RPCCoding.encoder.encode(self)
    }
}
