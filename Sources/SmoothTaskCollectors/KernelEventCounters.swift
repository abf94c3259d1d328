/// The kernel's own machine-wide event counters the overhead budget takes hook rates from: they keep
/// counting whether or not a program is attached, so they also say what a shed program would cost.
struct KernelEventCounters: Sendable, Equatable {
    /// Context switches since boot (`/proc/stat` `ctxt`): the rate of `sched_switch`.
    var contextSwitches: UInt64?
    /// Processes forked since boot (`/proc/stat` `processes`): each forked process exits once and
    /// most exec, so the rate of `sched_process_exec` and `sched_process_exit` is at most about this.
    var forks: UInt64?
    /// Page faults since boot (`/proc/vmstat` `pgfault`), user and kernel: an upper bound of `page_fault_user`.
    var pageFaults: UInt64?
    /// CLOCK_MONOTONIC nanoseconds when they were read.
    var takenAtNanoseconds: UInt64

    /// Reads the counters now; one that cannot be read is `nil`.
    static func read() -> KernelEventCounters {
        let stat = try? ProcFile.contents(of: ProcStat.path).get()
        let vmstat = try? ProcFile.contents(of: "/proc/vmstat").get()
        return KernelEventCounters(
            contextSwitches: stat.flatMap { ProcFile.number(after: "ctxt", in: $0) },
            forks: stat.flatMap { ProcFile.number(after: "processes", in: $0) },
            pageFaults: vmstat.flatMap { ProcFile.number(after: "pgfault", in: $0) },
            takenAtNanoseconds: Clock.monotonicNanoseconds()
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
