/// The memory_events program's cumulative counters at one instant; two of them give an interval's figures.
struct MemoryEventsSnapshot {
    /// Totals over all CPUs.
    var totals: MemoryEventTotals
    /// OOM kills since load.
    var oomKills: UInt64
    /// The kept victims, newest first.
    var oomVictims: [OOMVictimRecord]
    /// CLOCK_MONOTONIC nanoseconds of the reading.
    var takenAtNanoseconds: UInt64
}
