/// The sched_switch accounting at one instant, with the interval still running on each CPU since
/// its latest switch already charged: busy or idle per CPU, and on-CPU time per process.
struct SchedSwitchSnapshot: Sendable, Equatable {
    /// One CPU's cumulative time since its slot was zeroed at attach.
    struct CPUTime: Sendable, Equatable {
        /// Nanoseconds running a task other than idle.
        var busyNanoseconds: UInt64
        /// Nanoseconds running the idle task.
        var idleNanoseconds: UInt64
    }

    /// CLOCK_MONOTONIC nanoseconds at which the in-flight intervals were closed.
    var takenAtNanoseconds: UInt64
    /// Indexed by CPU number, one per possible CPU.
    var perCPU: [CPUTime]
    /// Nanoseconds on CPU of each process (tgid) since the program was first attached.
    var processNanoseconds: [UInt32: UInt64]

    /// Builds the snapshot from the raw maps. The process map must be read before the per-CPU slots
    /// and `now` taken after both: a switch between the reads then moves an interval into the next
    /// window instead of counting it twice.
    init(slots: [CPUSwitchAccounting], processNanoseconds: [UInt32: UInt64], now: UInt64) {
        var processes = processNanoseconds
        perCPU = slots.map { slot in
            guard slot.last_switch_ns != 0 else { return CPUTime(busyNanoseconds: 0, idleNanoseconds: 0) }
            let running = now > slot.last_switch_ns ? now - slot.last_switch_ns : 0
            if slot.running_idle != 0 {
                return CPUTime(busyNanoseconds: slot.busy_ns, idleNanoseconds: slot.idle_ns + running)
            }
            // 0: a process outside the daemon's pid namespace runs, busy time without a row.
            if slot.running_tgid != 0 { processes[slot.running_tgid, default: 0] += running }
            return CPUTime(busyNanoseconds: slot.busy_ns + running, idleNanoseconds: slot.idle_ns)
        }
        self.processNanoseconds = processes
        takenAtNanoseconds = now
    }

    /// Percent busy of all CPUs together and of each CPU (indexed by CPU number) since `earlier`.
    /// `overall` is `nil` when no CPU has accounting for the window; a CPU without any (offline, or
    /// no switch seen since attach) reads 0.
    func busyPercent(since earlier: SchedSwitchSnapshot) -> (overall: Double?, perCPU: [Double]) {
        var busyTotal: UInt64 = 0
        var elapsedTotal: UInt64 = 0
        let perCPU = perCPU.indices.map { cpu -> Double in
            let then = cpu < earlier.perCPU.count ? earlier.perCPU[cpu] : CPUTime(busyNanoseconds: 0, idleNanoseconds: 0)
            let busy = self.perCPU[cpu].busyNanoseconds.subtractingClamped(then.busyNanoseconds)
            let idle = self.perCPU[cpu].idleNanoseconds.subtractingClamped(then.idleNanoseconds)
            busyTotal += busy
            elapsedTotal += busy + idle
            return busy + idle == 0 ? 0 : min(100, Double(busy) / Double(busy + idle) * 100)
        }
        let overall = elapsedTotal == 0 ? nil : min(100, Double(busyTotal) / Double(elapsedTotal) * 100)
        return (overall, perCPU)
    }
}

extension UInt64 {
    /// `self - other`, or 0 when `other` is larger (a counter that was reset or evicted meanwhile).
    func subtractingClamped(_ other: UInt64) -> UInt64 { self >= other ? self - other : 0 }
}
