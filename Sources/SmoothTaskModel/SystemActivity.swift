/// The figures vmstat and pmstat print first, for the whole system over one collection window:
/// where CPU time went, the load average, context switches and interrupts per second, and how many
/// tasks are runnable or blocked. `EbpfMetrics.system` on the wire.
///
/// Each figure is `nil` when it could not be read, with the reason in ``unavailable``, and names
/// where it came from in ``sources`` (keyed by the figure's wire name): `procfs` for all of them
/// today, since the eBPF programs count neither the user/system split, the load, interrupts nor
/// context switches as such (the CPU program measures busy time per CPU, `cpu_usage`).
///
/// On the wire: `{"cpu_time": CPUTimeSplit, "load_average": LoadAverage, "context_switches": 81234567,
/// "context_switches_per_s": 1520.4, "interrupts": 40212345, "interrupts_per_s": 830.2,
/// "runnable_tasks": 2, "blocked_tasks": 0, "sources": {"cpu_time": "procfs", ...}, "unavailable": {}}`.
public struct SystemActivity: Codable, Sendable, Equatable {
    /// Percent of all CPUs in each state over the window.
    public var cpuTime: CPUTimeSplit?
    /// The 1, 5 and 15 minute load averages at the collection.
    public var loadAverage: LoadAverage?
    /// Context switches on all CPUs since boot, at the collection (`ctxt` of /proc/stat).
    public var contextSwitches: UInt64?
    /// Context switches per second over the window, all CPUs together.
    public var contextSwitchesPerSecond: Double?
    /// Interrupts serviced since boot, at the collection (first field of `intr` of /proc/stat).
    public var interrupts: UInt64?
    /// Interrupts per second over the window, all CPUs together.
    public var interruptsPerSecond: Double?
    /// Tasks (threads) running or waiting for a CPU at the collection (`procs_running`; vmstat's `r`).
    public var runnableTasks: UInt64?
    /// Tasks (threads) blocked in uninterruptible sleep, usually on I/O, at the collection
    /// (`procs_blocked`; vmstat's `b`).
    public var blockedTasks: UInt64?
    /// Where each figure came from, keyed by wire name (`cpu_time`, `load_average`, ...).
    public var sources: [String: MetricSource]
    /// Why a figure is `nil`, keyed by wire name.
    public var unavailable: [String: String]

    /// Creates an empty report: every figure `nil` until filled in.
    public init(sources: [String: MetricSource] = [:], unavailable: [String: String] = [:]) {
        self.sources = sources
        self.unavailable = unavailable
    }

    /// The wire names of the figures, the keys of ``sources`` and ``unavailable``.
    public enum Name {
        /// ``SystemActivity/cpuTime``.
        public static let cpuTime = "cpu_time"
        /// ``SystemActivity/loadAverage``.
        public static let loadAverage = "load_average"
        /// ``SystemActivity/contextSwitches`` and its rate.
        public static let contextSwitches = "context_switches"
        /// ``SystemActivity/interrupts`` and its rate.
        public static let interrupts = "interrupts"
        /// ``SystemActivity/runnableTasks``.
        public static let runnableTasks = "runnable_tasks"
        /// ``SystemActivity/blockedTasks``.
        public static let blockedTasks = "blocked_tasks"
    }

    enum CodingKeys: String, CodingKey {
        case cpuTime = "cpu_time"
        case loadAverage = "load_average"
        case contextSwitches = "context_switches"
        case contextSwitchesPerSecond = "context_switches_per_s"
        case interrupts
        case interruptsPerSecond = "interrupts_per_s"
        case runnableTasks = "runnable_tasks"
        case blockedTasks = "blocked_tasks"
        case sources, unavailable
    }

    // Missing figures are explicit `null`s beside their reason, as in EbpfMetrics.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cpuTime, forKey: .cpuTime)
        try container.encode(loadAverage, forKey: .loadAverage)
        try container.encode(contextSwitches, forKey: .contextSwitches)
        try container.encode(contextSwitchesPerSecond, forKey: .contextSwitchesPerSecond)
        try container.encode(interrupts, forKey: .interrupts)
        try container.encode(interruptsPerSecond, forKey: .interruptsPerSecond)
        try container.encode(runnableTasks, forKey: .runnableTasks)
        try container.encode(blockedTasks, forKey: .blockedTasks)
        try container.encode(sources, forKey: .sources)
        try container.encode(unavailable, forKey: .unavailable)
    }
}
