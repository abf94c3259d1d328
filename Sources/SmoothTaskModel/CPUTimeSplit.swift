/// Where all CPUs' time went over one collection window, as vmstat and pmstat split it: percent of
/// all CPUs together (the states sum to 100), from the `cpu` line of /proc/stat.
///
/// On the wire: `{"user": 12.5, "nice": 0, "system": 4.1, "iowait": 0.3, "irq": 0, "softirq": 0.2,
/// "steal": 0, "idle": 82.9}`.
public struct CPUTimeSplit: Codable, Sendable, Equatable {
    /// Percent of all CPUs in user mode at nice 0 or below (guest time included, as the kernel counts it).
    public var user: Double
    /// Percent of all CPUs in user mode at a positive nice.
    public var nice: Double
    /// Percent of all CPUs in the kernel, outside interrupts.
    public var system: Double
    /// Percent of all CPUs idle while I/O they issued was outstanding.
    public var iowait: Double
    /// Percent of all CPUs serving hardware interrupts.
    public var irq: Double
    /// Percent of all CPUs serving softirqs.
    public var softirq: Double
    /// Percent of all CPUs a hypervisor gave to another guest while this one wanted to run.
    public var steal: Double
    /// Percent of all CPUs idle with no I/O outstanding.
    public var idle: Double

    /// Creates a split; each figure is percent of all CPUs, 0...100.
    public init(user: Double, nice: Double, system: Double, iowait: Double, irq: Double, softirq: Double, steal: Double, idle: Double) {
        self.user = user
        self.nice = nice
        self.system = system
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
        self.idle = idle
    }

    /// Every state with its wire name, in vmstat's order.
    public var states: [(name: String, percent: Double)] {
        [("user", user), ("nice", nice), ("system", system), ("iowait", iowait), ("irq", irq), ("softirq", softirq), ("steal", steal), ("idle", idle)]
    }
}
