/// The memory_events program's cumulative counters at one instant; two of them give an interval's figures.
struct MemoryEventsSnapshot {
    /// Totals over all CPUs.
    var totals: MemoryEventTotals
    /// Counts per live process (tgid).
    var perProcess: [UInt32: ProcessMemoryEvents]
    /// OOM kills since load.
    var oomKills: UInt64
    /// The kept victims, newest first.
    var oomVictims: [OOMVictimRecord]
    /// CLOCK_MONOTONIC nanoseconds of the reading.
    var takenAtNanoseconds: UInt64

    /// One field of every process's counts, for ``CounterDeltas``.
    func perProcess(_ field: KeyPath<ProcessMemoryEvents, UInt64>) -> [UInt32: UInt64] {
        perProcess.mapValues { $0[keyPath: field] }
    }
}
