/// The kernel's own machine-wide event counters the overhead budget takes hook rates from: they keep
/// counting whether or not a program is attached, so they also say what a shed program would cost.
struct KernelEventCounters: Sendable, Equatable {
    /// Context switches since boot (`/proc/stat` `ctxt`): the rate of `sched_switch`.
    var contextSwitches: UInt64?
    /// Tasks forked since boot (`/proc/stat` `processes`, threads included): each new task wakes
    /// once (`sched_wakeup_new`) and exits once, and most processes exec, so this is the rate of
    /// `sched_wakeup_new` and at most about that of `sched_process_exec` and `sched_process_exit`.
    var forks: UInt64?
    /// Page faults since boot (`/proc/vmstat` `pgfault`), user and kernel: an upper bound of `page_fault_user`.
    var pageFaults: UInt64?
    /// CLOCK_MONOTONIC nanoseconds when /proc/stat was read; /proc/vmstat is read a few milliseconds
    /// later at the same point of every collection, so the gap cancels out of a rate over seconds.
    var takenAtNanoseconds: UInt64

    /// The counters of a /proc/stat reading already taken (the collection's, ``SystemActivityReader/latest``:
    /// the file is read once per collection, its `intr` line alone being a visible share of the
    /// daemon's CPU), with /proc/vmstat read now; without a reading, `ctxt` and `processes` are `nil`.
    static func read(stat: (stat: ProcStatActivity, atNanoseconds: UInt64)?) -> KernelEventCounters {
        let vmstat = try? ProcFile.contents(of: "/proc/vmstat").get()
        return KernelEventCounters(
            contextSwitches: stat?.stat.contextSwitches,
            forks: stat?.stat.forks,
            pageFaults: vmstat.flatMap { ProcFile.number(after: "pgfault", in: $0) },
            takenAtNanoseconds: stat?.atNanoseconds ?? Clock.monotonicNanoseconds()
        )
    }

    /// Events per second of `counter` between `earlier` and this reading; `nil` when either lacks it.
    func rate(_ counter: KeyPath<KernelEventCounters, UInt64?>, since earlier: KernelEventCounters) -> Double? {
        guard let now = self[keyPath: counter], let then = earlier[keyPath: counter],
            takenAtNanoseconds > earlier.takenAtNanoseconds
        else { return nil }
        return Double(now.subtractingClamped(then)) / (Double(takenAtNanoseconds - earlier.takenAtNanoseconds) / 1e9)
    }
}
