import SmoothTaskProtocol

/// How much any one client, any one user, or all of them together, can make the server hold.
///
/// The control socket is open to every local user, so each limit is sized for a hostile caller:
/// descriptors (connections at once, per user, a reserve for root and the admin group), memory
/// (one unanswered request per connection, a shared budget for large frames, bounded reply bytes)
/// and time (frame deadline, idle timeout). PROTOCOL.md's "Limits" section lists them.
public struct ServerLimits: Sendable, Equatable {
    /// Connections served at once, all users together. Each costs a descriptor; one over the cap gets
    /// a `-32003` frame and is closed at once.
    public var maxConnections: Int
    /// Connections one user (uid) may hold at once, unless it is root or in the admin group.
    public var maxConnectionsPerUser: Int
    /// Slots of ``maxConnections`` only root and the admin group may use, so a flood of connections
    /// from other users never locks the administrator out.
    public var reservedPrivilegedConnections: Int
    /// How long a frame may take from its first byte to its last before the connection is dropped
    /// with `-32600`: a real request is a few hundred bytes written at once.
    public var frameDeadline: Duration
    /// How long a connection without a subscription may stay silent before it is closed; a
    /// subscriber waits for notifications and is exempt.
    public var idleTimeout: Duration
    /// Bytes of frames larger than ``InputBudget/largeFrameBytes`` buffered at once, all
    /// connections together, from the header until the request is answered.
    public var largeFrameBudgetBytes: Int
    /// The same, per user other than root.
    public var largeFrameBudgetPerUserBytes: Int
    /// Reply bytes the server queues for one connection before it stops reading from it.
    public var maxPendingReplyBytes: Int

    /// 1,024 connections: room for a thousand concurrent monitoring clients; lowered at start when the
    /// open-file limit cannot cover it (``fitted(toDescriptorLimit:otherListeners:)``).
    public static let defaultMaxConnections = 1024
    /// 64 per user: a user's scripts and watches, not a flood; root and the admin group are exempt.
    public static let defaultMaxConnectionsPerUser = 64
    /// 32 slots for root and the admin group.
    public static let defaultReservedPrivilegedConnections = 32
    /// 10 s: generous for any local client, short enough that stalled ones do not pile up.
    public static let defaultFrameDeadline = Duration.seconds(10)
    /// 5 minutes: a client polling every minute keeps its connection; an abandoned one goes.
    public static let defaultIdleTimeout = Duration.seconds(300)
    /// 32 MiB: 32 maximum-size frames at once; real requests are under 1 KiB and never count.
    public static let defaultLargeFrameBudgetBytes = 32 << 20
    /// 8 MiB: one user fills at most a quarter of the shared budget.
    public static let defaultLargeFrameBudgetPerUserBytes = 8 << 20
    /// 256 KiB: the largest reply (`processes.top` with 1,000 rows) fits whole.
    public static let defaultMaxPendingReplyBytes = 256 << 10
    /// Descriptors kept for the daemon itself (BPF objects, maps and links, event loops, /proc
    /// reads, the config file, libdispatch's worker monitor): running out of them aborts the process.
    public static let descriptorReserve = 256

    /// Creates limits; the defaults are the production ones.
    public init(
        maxConnections: Int = defaultMaxConnections,
        maxConnectionsPerUser: Int = defaultMaxConnectionsPerUser,
        reservedPrivilegedConnections: Int = defaultReservedPrivilegedConnections,
        frameDeadline: Duration = defaultFrameDeadline,
        idleTimeout: Duration = defaultIdleTimeout,
        largeFrameBudgetBytes: Int = defaultLargeFrameBudgetBytes,
        largeFrameBudgetPerUserBytes: Int = defaultLargeFrameBudgetPerUserBytes,
        maxPendingReplyBytes: Int = defaultMaxPendingReplyBytes
    ) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerUser = maxConnectionsPerUser
        // At most a quarter: the rest stay open to every user.
        self.reservedPrivilegedConnections = min(reservedPrivilegedConnections, maxConnections / 4)
        self.frameDeadline = frameDeadline
        self.idleTimeout = idleTimeout
        self.largeFrameBudgetBytes = largeFrameBudgetBytes
        self.largeFrameBudgetPerUserBytes = largeFrameBudgetPerUserBytes
        self.maxPendingReplyBytes = maxPendingReplyBytes
    }

    /// These limits with ``maxConnections`` lowered so that, with `otherListeners` connections
    /// elsewhere (the metrics endpoint) and ``descriptorReserve`` kept, the process never runs out of
    /// descriptors under `descriptorLimit` (the hard `RLIMIT_NOFILE`); `nil` note when nothing changed.
    public func fitted(toDescriptorLimit descriptorLimit: Int, otherListeners: Int) -> (limits: ServerLimits, note: String?) {
        let available = max(1, descriptorLimit - Self.descriptorReserve - otherListeners)
        guard maxConnections > available else { return (self, nil) }
        var fitted = self
        fitted.maxConnections = available
        fitted.reservedPrivilegedConnections = min(reservedPrivilegedConnections, available / 4)
        let note = "connection cap lowered from \(maxConnections) to \(available): the open-file limit is "
            + "\(descriptorLimit), of which \(Self.descriptorReserve) are kept for the daemon and "
            + "\(otherListeners) for the metrics endpoint; raise LimitNOFILE= to serve more"
        return (fitted, note)
    }
}
