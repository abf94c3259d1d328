/// The system-wide counters of /proc/stat beside its CPU lines: what vmstat and pmstat read for
/// their CPU split, context switches, interrupts and runnable/blocked columns.
public struct ProcStatActivity: Sendable, Equatable {
    /// The `cpu` line: all CPUs' ticks in each state since boot.
    public var cpu: CPUTicks
    /// Context switches since boot (`ctxt`).
    public var contextSwitches: UInt64?
    /// Interrupts serviced since boot (the first number of `intr`).
    public var interrupts: UInt64?
    /// Tasks forked since boot (`processes`, threads included): the overhead budget's rate of the
    /// hooks that fire once per new task (``KernelEventCounters/forks``).
    public var forks: UInt64?
    /// Tasks running or runnable now (`procs_running`).
    public var runnableTasks: UInt64?
    /// Tasks in uninterruptible sleep now (`procs_blocked`).
    public var blockedTasks: UInt64?

    /// Parses the text of /proc/stat; `nil` without its `cpu` line.
    public init?(parsing text: String) {
        guard let stat = ProcStat(parsing: text) else { return nil }
        self.init(parsing: text, cpuLines: stat)
    }

    /// Parses the text of /proc/stat whose CPU lines `cpuLines` already holds (``ProcfsTick``).
    init(parsing text: String, cpuLines stat: ProcStat) {
        cpu = stat.total
        contextSwitches = ProcFile.number(after: "ctxt", in: text)
        interrupts = ProcFile.number(after: "intr", in: text)
        forks = ProcFile.number(after: "processes", in: text)
        runnableTasks = ProcFile.number(after: "procs_running", in: text)
        blockedTasks = ProcFile.number(after: "procs_blocked", in: text)
    }

    /// Reads and parses /proc/stat now.
    public static func read() throws(ProcfsError) -> ProcStatActivity {
        let text = try ProcFile.contents(of: ProcStat.path).get()
        return ProcStatActivity(parsing: text, cpuLines: try ProcStat.parsed(text).get())
    }
}
