/// What one loaded eBPF program has cost in the kernel, as the kernel counted it.
///
/// The counts are `null` while `kernel.bpf_stats_enabled` is 0: the kernel is not counting, and a
/// stale figure would look real. They include the kernel's timing bookkeeping, so they are an
/// upper bound of the program's own cost.
public struct ProgramOverhead: Codable, Sendable, Equatable {
    /// `object/program`, e.g. `syscalls/count_syscall`; the object alone when it could not be loaded.
    public var name: String
    /// The program's ELF section, which names its hook, e.g. `tp_btf/sys_exit`.
    public var hook: String
    /// True while it is attached and running on its hook.
    public var attached: Bool
    /// Runs counted since load while statistics were on.
    public var runCount: UInt64?
    /// Nanoseconds those runs took, bookkeeping included.
    public var runTimeNanoseconds: UInt64?
    /// Nanoseconds per run (`run_time_ns / run_count`), an upper bound.
    public var nanosecondsPerEvent: Double?
    /// Why the counts are missing, when they are.
    public var detail: String?

    /// Creates one program's overhead report.
    public init(
        name: String, hook: String, attached: Bool, runCount: UInt64? = nil, runTimeNanoseconds: UInt64? = nil,
        nanosecondsPerEvent: Double? = nil, detail: String? = nil
    ) {
        self.name = name
        self.hook = hook
        self.attached = attached
        self.runCount = runCount
        self.runTimeNanoseconds = runTimeNanoseconds
        self.nanosecondsPerEvent = nanosecondsPerEvent
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case name, hook, attached, detail
        case runCount = "run_count"
        case runTimeNanoseconds = "run_time_ns"
        case nanosecondsPerEvent = "ns_per_event"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(hook, forKey: .hook)
        try container.encode(attached, forKey: .attached)
        try container.encode(runCount, forKey: .runCount)
        try container.encode(runTimeNanoseconds, forKey: .runTimeNanoseconds)
        try container.encode(nanosecondsPerEvent, forKey: .nanosecondsPerEvent)
        try container.encode(detail, forKey: .detail)
    }
}
