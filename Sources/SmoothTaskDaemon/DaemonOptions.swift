import SmoothTaskModel
import SmoothTaskProtocol

/// How a daemon is started: where it listens, who may change it, what it collects at first.
public struct DaemonOptions: Sendable {
    /// The Unix socket path to serve on.
    public var socketPath: String
    /// The group whose members, besides root, may call privileged methods.
    public var adminGroup: String
    /// The configuration in force at start.
    public var config: EbpfConfig
    /// Whether `prometheus_listen` may name a TCP address other than loopback.
    public var allowNonLoopbackMetrics: Bool

    /// Creates options; the defaults are the production ones.
    public init(
        socketPath: String = ProtocolConstants.defaultSocketPath,
        adminGroup: String = ProtocolConstants.defaultAdminGroup,
        config: EbpfConfig = .defaults,
        allowNonLoopbackMetrics: Bool = false
    ) {
        self.socketPath = socketPath
        self.adminGroup = adminGroup
        self.config = config
        self.allowNonLoopbackMetrics = allowNonLoopbackMetrics
    }
}
