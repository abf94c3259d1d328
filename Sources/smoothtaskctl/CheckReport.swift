import SmoothTaskHostChecks
import SmoothTaskModel

/// What `smoothtaskctl check` found: whether the daemon answers, the daemon's own diagnostics when
/// it does, and when it does not, the checks this process can make without bpf() or libbpf.
struct CheckReport: Encodable {
    /// Socket reachability, checked from this process.
    var socket: DiagnosticCheck
    /// False when nothing answered on the socket (exit 69, as for every other command).
    var daemonReachable: Bool
    /// The daemon's `diagnostics` result; `null` when it could not be reached.
    var daemon: DaemonDiagnostics?
    /// ``HostDiagnostics``, made here only when the daemon's diagnostics could not be had.
    var local: [DiagnosticCheck]?

    /// True when every check passed.
    var allOK: Bool {
        socket.ok && checksMadeOK
    }

    /// True when every check made, other than the socket, passed.
    private var checksMadeOK: Bool {
        (daemon?.checks ?? []).allSatisfy(\.ok) && (local ?? []).allSatisfy(\.ok)
            && (daemon?.programs ?? []).allSatisfy { $0.attached || $0.detail?.hasPrefix("disabled") == true }
    }

    /// 0 all OK; 1 a check failed or the daemon refused `diagnostics`; 69 nothing answered and what
    /// could be checked here is OK, since the rest is then unknown.
    var exitStatus: Int32 {
        if allOK { return 0 }
        return daemonReachable || !checksMadeOK ? DaemonCall.Exit.refused : DaemonCall.Exit.unavailable
    }

    /// What this process did not check, and where to check it; only with ``local``.
    var notChecked: String? {
        local.map { _ in HostDiagnostics.privilegedChecksPointer }
    }

    enum CodingKeys: String, CodingKey {
        case socket, daemon, local
        case notChecked = "not_checked"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(socket, forKey: .socket)
        try container.encode(daemon, forKey: .daemon)
        try container.encode(local, forKey: .local)
        try container.encode(notChecked, forKey: .notChecked)
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
            lines.append("Checked here, without bpf() or libbpf:")
            lines += local.map(\.text)
        }
        if let notChecked {
            lines.append("Not checked here: \(notChecked).")
        }
        return lines.joined(separator: "\n")
    }
}
