import SmoothTaskProtocol

/// What the server does after one request: the frame to send, if any, and any change of subscription.
struct DispatchedReply: Sendable {
    /// The reply's JSON; `nil` for a notification (a request without `id`).
    var frame: [UInt8]?
    /// Set when the method started or ended the connection's notifications.
    var subscription: Subscription?
}
