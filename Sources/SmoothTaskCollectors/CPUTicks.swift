/// One `cpu` line of /proc/stat: time spent in each state since boot, in USER_HZ ticks (10 ms).
public struct CPUTicks: Sendable, Equatable {
    /// Ticks in user mode (includes guest time).
    public var user: UInt64
    /// Ticks in user mode at positive nice.
    public var nice: UInt64
    /// Ticks in kernel mode.
    public var system: UInt64
    /// Ticks idle.
    public var idle: UInt64
    /// Ticks idle while I/O was outstanding.
    public var iowait: UInt64
    /// Ticks serving hardware interrupts.
    public var irq: UInt64
    /// Ticks serving softirqs.
    public var softirq: UInt64
    /// Ticks another guest of the hypervisor ran while this CPU wanted to.
    public var steal: UInt64

    /// Creates a reading.
    public init(
        user: UInt64, nice: UInt64, system: UInt64, idle: UInt64,
        iowait: UInt64, irq: UInt64, softirq: UInt64, steal: UInt64
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
    }

    /// Ticks busy: user + nice + system + irq + softirq + steal.
    public var busy: UInt64 { user + nice + system + irq + softirq + steal }

    /// Ticks busy or idle (idle includes iowait).
    public var total: UInt64 { busy + idle + iowait }

    /// Percent busy, 0...100, between `earlier` and this reading; `nil` if no tick elapsed.
    public func busyPercent(since earlier: CPUTicks) -> Double? {
        guard total > earlier.total, busy >= earlier.busy else { return nil }
        return min(100, Double(busy - earlier.busy) / Double(total - earlier.total) * 100)
    }
}
