import SmoothTaskCollectors
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer

/// How a daemon is started: where it listens, who may change it, what it collects at first.
public struct DaemonOptions: Sendable {
    /// The Unix socket path to serve on, unless systemd passes a socket (socket activation).
    public var socketPath: String
    /// The group whose members, besides root, may call privileged methods.
    public var adminGroup: String
    /// The configuration in force at start.
    public var config: EbpfConfig
    /// What clients can make the server hold.
    public var limits: ServerLimits
    /// Whether `prometheus_listen` may name a TCP address other than loopback.
    public var allowNonLoopbackMetrics: Bool
    /// The configuration file accepted changes are written to and SIGHUP re-reads; `nil` keeps
    /// changes in memory only.
    public var configPath: String?
    /// The only directory a Unix-socket `prometheus_listen` may name a socket in.
    public var metricsSocketDirectory: String
    /// Why the configuration file was refused at start, when the daemon serves the defaults anyway
    /// (a socket-activated start); reported by `status` and `check` until a good file is loaded.
    public var configFileError: String?
    /// How many recently exited processes `processes.exited` can list.
    public var exitedProcessCapacity: Int
    /// Where the daemon keeps its state (the history store); `nil`: no history.
    public var stateDirectory: String?

    /// The state directory systemd's `StateDirectory=smoothtask` creates.
    public static let defaultStateDirectory = "/var/lib/smoothtask"

    /// Creates options; the defaults are the production ones.
    public init(
        socketPath: String = ProtocolConstants.defaultSocketPath,
        adminGroup: String = ProtocolConstants.defaultAdminGroup,
        config: EbpfConfig = .defaults,
        limits: ServerLimits = ServerLimits(),
        allowNonLoopbackMetrics: Bool = false,
        configPath: String? = ConfigStore.defaultPath,
        metricsSocketDirectory: String = MetricsSocketDirectory.defaultPath,
        configFileError: String? = nil,
        exitedProcessCapacity: Int = EbpfMetricsCollector.defaultExitedProcessCapacity,
        stateDirectory: String? = DaemonOptions.defaultStateDirectory
    ) {
        self.stateDirectory = stateDirectory
        self.configFileError = configFileError
        self.exitedProcessCapacity = exitedProcessCapacity
        self.metricsSocketDirectory = metricsSocketDirectory
        self.socketPath = socketPath
        self.adminGroup = adminGroup
        self.config = config
        self.limits = limits
        self.allowNonLoopbackMetrics = allowNonLoopbackMetrics
        self.configPath = configPath
    }
}
