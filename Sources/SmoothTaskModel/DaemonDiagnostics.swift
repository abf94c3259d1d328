/// The result of the `diagnostics` method: the daemon's own view of what eBPF needs, checked from
/// inside the daemon process (its capabilities, its limits, its libraries), and its programs.
public struct DaemonDiagnostics: Codable, Sendable, Equatable {
    /// The daemon's process id.
    public var pid: Int32
    /// The daemon's real user id (0 is root; the packaged service runs as `smoothtask`).
    public var uid: UInt32
    /// The configuration file the daemon loads and writes, `null` when it keeps changes in memory.
    public var configPath: String?
    /// True when the daemon serves on a socket systemd passed (socket activation).
    public var socketActivated: Bool
    /// Every requirement, in the order `smoothtaskctl check` prints them.
    public var checks: [DiagnosticCheck]
    /// Each eBPF program's state.
    public var programs: [ProgramStatus]

    /// Creates the diagnostics.
    public init(
        pid: Int32, uid: UInt32, configPath: String?, socketActivated: Bool, checks: [DiagnosticCheck], programs: [ProgramStatus]
    ) {
        self.pid = pid
        self.uid = uid
        self.configPath = configPath
        self.socketActivated = socketActivated
        self.checks = checks
        self.programs = programs
    }

    enum CodingKeys: String, CodingKey {
        case pid, uid, checks, programs
        case configPath = "config_path"
        case socketActivated = "socket_activated"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encode(uid, forKey: .uid)
        try container.encode(configPath, forKey: .configPath)
        try container.encode(socketActivated, forKey: .socketActivated)
        try container.encode(checks, forKey: .checks)
        try container.encode(programs, forKey: .programs)
    }
}
