import SmoothTaskProtocol

/// How much any one client, or all of them together, can make the server hold.
public struct ServerLimits: Sendable, Equatable {
    /// Connections served at once. Each costs a descriptor and at most one buffered frame
    /// (``ProtocolConstants/maxPayloadBytes``); one over the cap gets a `-32003` frame and is closed.
    public var maxConnections: Int
    /// How long a frame may take from its first byte to its last before the connection is dropped
    /// with `-32600`: a real request is a few hundred bytes written at once.
    public var frameDeadline: Duration

    /// 1,024 connections: room for a thousand concurrent monitoring clients while keeping the
    /// worst-case buffered input (1,024 half-sent 1 MiB frames) bounded.
    public static let defaultMaxConnections = 1024
    /// 10 s: generous for any local client, short enough that stalled ones do not pile up.
    public static let defaultFrameDeadline = Duration.seconds(10)

    /// Creates limits; the defaults are the production ones.
    public init(maxConnections: Int = defaultMaxConnections, frameDeadline: Duration = defaultFrameDeadline) {
        self.maxConnections = maxConnections
        self.frameDeadline = frameDeadline
    }
}
