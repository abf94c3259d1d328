import SmoothTaskModel

/// The result of `rpc.discover`: what this daemon speaks, for clients that adapt to it.
public struct DiscoveryResult: Codable, Sendable, Equatable {
    /// The protocol version; see ``ProtocolConstants/version``.
    public var protocolVersion: Int
    /// The daemon's version, as `--version` prints it.
    public var version: String
    /// Every method the daemon serves, in a stable order.
    public var methods: [MethodDescription]
    /// The notifications the daemon may push, e.g. `metrics.update`.
    public var notifications: [String]

    /// The description of this build.
    public static let current = DiscoveryResult(
        protocolVersion: ProtocolConstants.version,
        version: SmoothTaskVersion.current,
        methods: Method.allCases.map { MethodDescription(name: $0.rawValue, privileged: $0.isPrivileged) },
        notifications: [ProtocolConstants.metricsUpdateNotification]
    )

    /// Creates a description.
    public init(protocolVersion: Int, version: String, methods: [MethodDescription], notifications: [String]) {
        self.protocolVersion = protocolVersion
        self.version = version
        self.methods = methods
        self.notifications = notifications
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol_version"
        case version, methods, notifications
    }
}
