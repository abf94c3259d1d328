import Synchronization

/// CPU time the daemon's monitoring work has used: each collection, the reading of the exit ring and
/// the exposition's counters, each measured on the thread that did it (CLOCK_THREAD_CPUTIME_ID).
///
/// With the history writer's own count, it is what the daemon's share of the overhead budget is
/// measured from while clients are served: answering them is left out, because shedding a program
/// cannot reduce it, and counting it let any local user who kept asking make the daemon shed every
/// optional program. It misses what runs between these pieces (thread wake-ups, the governor's own
/// reads: a third of an idle daemon's CPU here), which the daemon scales back in from windows
/// without clients.
public final class MonitoringCPU: Sendable {
    private let total = Atomic<UInt64>(0)

    /// Creates a meter at zero.
    public init() {}

    /// Nanoseconds of CPU measured so far.
    public var nanoseconds: UInt64 { total.load(ordering: .relaxed) }

    /// Adds `nanoseconds` measured elsewhere on one thread.
    func add(_ nanoseconds: UInt64) {
        total.add(nanoseconds, ordering: .relaxed)
    }

    /// Runs `work` and adds the CPU the calling thread used for it.
    func measure<Result, Failure: Error>(_ work: () throws(Failure) -> Result) throws(Failure) -> Result {
        let started = Clock.threadCPUNanoseconds()
        defer { add(Clock.threadCPUNanoseconds().subtractingClamped(started)) }
        return try work()
    }
}
