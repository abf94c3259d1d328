/// The state of one eBPF program the daemon owns.
public struct ProgramStatus: Codable, Sendable, Equatable {
    /// The program's name as in `bpf/`, e.g. `cpu_metrics` or `syscalls`.
    public var name: String
    /// The ELF sections (hooks) of its loaded programs, comma-separated, e.g.
    /// `tp_btf/sched_switch, tp_btf/sched_process_exit`; `-` when the object could not be loaded.
    public var hook: String
    /// True while it is attached and counting.
    public var attached: Bool
    /// Why it is not attached: switched off, or the error that stopped it. `nil` while attached.
    public var detail: String?

    /// Creates a program's status.
    public init(name: String, hook: String, attached: Bool, detail: String? = nil) {
        self.name = name
        self.hook = hook
        self.attached = attached
        self.detail = detail
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(hook, forKey: .hook)
        try container.encode(attached, forKey: .attached)
        try container.encode(detail, forKey: .detail)
    }
}
