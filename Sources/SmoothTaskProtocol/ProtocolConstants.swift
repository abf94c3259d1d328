/// Facts about protocol v1 that both ends must agree on.
public enum ProtocolConstants {
    /// The protocol version this build speaks; new methods and optional fields keep it, changed meanings bump it.
    public static let version = 1
    /// The largest frame payload accepted, 1 MiB: far above any request (a few hundred bytes) and
    /// small enough that a hostile client cannot make the daemon allocate much.
    public static let maxPayloadBytes = 1 << 20
    /// Bytes in the big-endian length header that precedes every payload.
    public static let lengthHeaderBytes = 4
    /// The socket path a daemon listens on when none is given.
    public static let defaultSocketPath = "/run/smoothtask.sock"
    /// The environment variable that overrides ``defaultSocketPath`` for both binaries.
    public static let socketPathEnvironmentVariable = "SMOOTHTASK_SOCKET"
    /// The notification method the daemon pushes to `metrics.subscribe` callers.
    public static let metricsUpdateNotification = "metrics.update"
    /// The group whose members may call privileged methods besides root.
    public static let defaultAdminGroup = "smoothtask"
}
