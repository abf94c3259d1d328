/// The result of `metrics.unsubscribe`: `{"subscribed": false}`, whether or not there was a subscription.
public struct UnsubscribeResult: Codable, Sendable, Equatable {
    /// Always false: no notifications follow this reply.
    public var subscribed = false

    /// Creates the result.
    public init() {}
}
