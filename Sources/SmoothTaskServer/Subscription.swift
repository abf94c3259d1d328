import SmoothTaskProtocol

/// A method result that also starts or ends the pushing of notifications on the caller's connection.
///
/// A ``RequestHandler`` returns it for `metrics.subscribe` / `metrics.unsubscribe`; the server sends
/// ``reply`` as the result, then forwards ``notifications`` on that connection until the stream ends,
/// another subscription replaces it, or the connection closes. A connection has at most one.
/// The stream should buffer at most the newest element: the server takes one per write, and drops a
/// subscriber whose unread notifications fill its socket instead of buffering for it.
public struct Subscription: Encodable, Sendable {
    /// The result to reply with.
    public var reply: any Encodable & Sendable
    /// The notifications to push from now on; `nil` ends the connection's current subscription.
    public var notifications: AsyncStream<RPCNotification>?

    /// Replies with `reply`, then pushes `notifications` in place of any earlier subscription.
    public static func start(reply: any Encodable & Sendable, notifications: AsyncStream<RPCNotification>) -> Subscription {
        Subscription(reply: reply, notifications: notifications)
    }

    /// Replies with `reply` and stops the connection's notifications, if any.
    public static func end(reply: any Encodable & Sendable) -> Subscription {
        Subscription(reply: reply, notifications: nil)
    }

    public func encode(to encoder: any Encoder) throws {
        try reply.encode(to: encoder)
    }
}
