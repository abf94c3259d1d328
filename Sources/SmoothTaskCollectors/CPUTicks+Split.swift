import SmoothTaskModel

extension CPUTicks {
    /// Percent of the ticks between `earlier` and this reading spent in each state; `nil` if no tick elapsed.
    func split(since earlier: CPUTicks) -> CPUTimeSplit? {
        guard total > earlier.total else { return nil }
        let elapsed = Double(total - earlier.total)
        func percent(_ now: UInt64, _ then: UInt64) -> Double { now >= then ? Double(now - then) / elapsed * 100 : 0 }
        return CPUTimeSplit(
            user: percent(user, earlier.user), nice: percent(nice, earlier.nice), system: percent(system, earlier.system),
            iowait: percent(iowait, earlier.iowait), irq: percent(irq, earlier.irq), softirq: percent(softirq, earlier.softirq),
            steal: percent(steal, earlier.steal), idle: percent(idle, earlier.idle)
        )
    }
}
