#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A reply as the client reads it: the result decoded as `Result`, or the error.
public struct RPCReply<Result: Decodable & Sendable>: Decodable, Sendable {
    /// The echoed request id.
    public var id: JSONValue
    /// The result, when the call succeeded.
    public var result: Result?
    /// The error, when it failed.
    public var error: RPCError?

    /// The result, or the daemon's error thrown.
    public func get() throws(RPCError) -> Result {
        if let error { throw error }
        guard let result else { throw RPCError(.internalError, "reply has neither result nor error") }
        return result
    }
}
