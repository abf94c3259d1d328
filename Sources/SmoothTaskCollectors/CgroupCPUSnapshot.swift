/// Per-cgroup CPU time at one instant, the interval still running on each CPU already charged.
struct CgroupCPUSnapshot: Sendable, Equatable {
    /// CLOCK_MONOTONIC nanoseconds at which the in-flight intervals were closed.
    var takenAtNanoseconds: UInt64
    /// Nanoseconds on CPU of each cgroup (by id) since the program was attached.
    var cgroupNanoseconds: [UInt64: UInt64]
    /// Intervals the kernel could not charge because its map was full, all CPUs together.
    var droppedIntervals: UInt64

    /// Builds the snapshot from the raw maps; the hash map must be read before the per-CPU slots and
    /// `now` taken after both, so a switch between the reads moves an interval into the next window
    /// instead of counting it twice.
    init(slots: [CPUSwitchAccounting], cgroupNanoseconds: [UInt64: UInt64], now: UInt64) {
        var cgroups = cgroupNanoseconds
        for slot in slots where slot.last_switch_ns != 0 && slot.running_cgroup != 0 {
            cgroups[slot.running_cgroup, default: 0] += now.subtractingClamped(slot.last_switch_ns)
        }
        self.cgroupNanoseconds = cgroups
        droppedIntervals = slots.reduce(0) { $0 + $1.cgroup_dropped }
        takenAtNanoseconds = now
    }
}
