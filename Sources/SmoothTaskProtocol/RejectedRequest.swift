/// A frame that is not a usable request, with the error reply it earns.
public struct RejectedRequest: Error, Sendable, Equatable {
    /// The request's id when it could be read, `null` otherwise.
    public var id: JSONValue
    /// Why it was rejected.
    public var error: RPCError

    /// Creates a rejection.
    public init(id: JSONValue, error: RPCError) {
        self.id = id
        self.error = error
    }

    /// The reply to send.
    public var response: RPCResponse { RPCResponse(id: id, error: error) }
}
