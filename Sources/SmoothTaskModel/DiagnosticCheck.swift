/// One line of `smoothtaskctl check`: a requirement, whether it is met, and if not the exact fix.
public struct DiagnosticCheck: Codable, Sendable, Equatable {
    /// What is checked, e.g. `kernel`, `btf`, `tracepoint sched_switch`, `bpf()`.
    public var name: String
    /// True when the requirement is met (or, like tracefs, not needed).
    public var ok: Bool
    /// What was found, or the problem.
    public var detail: String
    /// What to do when `ok` is false: a package, a capability, a command or a kernel option.
    public var fix: String?

    /// Creates a check result.
    public init(name: String, ok: Bool, detail: String, fix: String? = nil) {
        self.name = name
        self.ok = ok
        self.detail = detail
        self.fix = fix
    }

    /// Width of the name column in ``text``: the longest name, `tracepoint sched_switch`, fits.
    static let nameColumnWidth = 24

    /// The check as the `check` commands print it: `OK    btf  ...`, or `FAIL` with an indented
    /// `fix:` line.
    public var text: String {
        let line = (ok ? "OK    " : "FAIL  ") + name
            + String(repeating: " ", count: max(1, Self.nameColumnWidth - name.count)) + detail
        guard !ok, let fix else { return line }
        return line + "\n      fix: " + fix
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(ok, forKey: .ok)
        try container.encode(detail, forKey: .detail)
        try container.encode(fix, forKey: .fix)
    }
}
