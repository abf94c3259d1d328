/// A request as the client sends it, with typed params.
public struct RPCOutgoingRequest<Params: Encodable & Sendable>: Encodable, Sendable {
    /// Always `"2.0"`.
    public let jsonrpc = "2.0"
    /// The id the reply will echo.
    public var id: Int
    /// The method to call.
    public var method: String
    /// The method's params.
    public var params: Params

    /// Creates a request for `method`.
    public init(id: Int, method: Method, params: Params) {
        self.id = id
        self.method = method.rawValue
        self.params = params
    }
}
