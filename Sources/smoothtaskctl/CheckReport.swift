import SmoothTaskModel

/// What `smoothtaskctl check` found: whether the daemon answers, the daemon's own diagnostics when
/// it does, and this process's checks when it does not (the kernel side is the same for both).
struct CheckReport: Encodable {
    /// Socket reachability, checked from this process.
    var socket: DiagnosticCheck
    /// The daemon's `diagnostics` result; `null` when it could not be reached.
    var daemon: DaemonDiagnostics?
    /// This process's checks, made only when the daemon could not be reached.
    var local: [DiagnosticCheck]?

    /// True when every check passed.
    var allOK: Bool {
        socket.ok && (daemon?.checks ?? []).allSatisfy(\.ok) && (local ?? []).allSatisfy(\.ok)
            && (daemon?.programs ?? []).allSatisfy { $0.attached || $0.detail?.hasPrefix("disabled") == true }
    }

    enum CodingKeys: String, CodingKey {
        case socket, daemon, local
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(socket, forKey: .socket)
        try container.encode(daemon, forKey: .daemon)
        try container.encode(local, forKey: .local)
    }

    /// The report as lines: the socket, then each check with its fix, then each program.
    var text: String {
        var lines = [socket.text]
        if let daemon {
            lines.append("As seen by smoothtaskd (pid \(daemon.pid), uid \(daemon.uid)\(daemon.socketActivated ? ", socket-activated" : "")):")
            lines += daemon.checks.map(\.text)
            lines += daemon.programs.map { program in
                let ok = program.attached || program.detail?.hasPrefix("disabled") == true
                let state = program.attached ? "attached" : program.detail ?? "not attached"
                return DiagnosticCheck(name: "program \(program.name)", ok: ok, detail: "\(program.hook): \(state)").text
            }
            lines.append("Configuration file: \(daemon.configPath ?? "none (changes are kept in memory only)")")
        }
        if let local {
            lines.append("As seen by this process (the daemon's capabilities may differ):")
            lines += local.map(\.text)
        }
        return lines.joined(separator: "\n")
    }
}
