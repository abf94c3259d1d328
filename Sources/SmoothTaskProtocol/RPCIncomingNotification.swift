/// A notification as the client reads it: `{"jsonrpc":"2.0","method":...,"params":...}`, params decoded as `Params`.
public struct RPCIncomingNotification<Params: Decodable & Sendable>: Decodable, Sendable {
    /// The notification's name, e.g. `metrics.update`.
    public var method: String
    /// Its params.
    public var params: Params
}
