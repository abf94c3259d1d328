import SmoothTaskModel

/// Turns two memory_events snapshots into the wire's ``MemoryEventMetrics``.
enum MemoryEventsReport {
    /// The figures of the interval between `previous` and `current`. ``MemoryEventMetrics/topFaulting``
    /// is left empty: the collector fills it from its one per-process window (``ProcessLedger``).
    static func metrics(current: MemoryEventsSnapshot, previous: MemoryEventsSnapshot) -> MemoryEventMetrics {
        let seconds = Double(current.takenAtNanoseconds.subtractingClamped(previous.takenAtNanoseconds)) / 1e9
        func rate(_ count: UInt64) -> Double { seconds > 0 ? Double(count) / seconds : 0 }
        let faults = current.totals.user_faults.subtractingClamped(previous.totals.user_faults)
        // The kernel stamps kills with CLOCK_MONOTONIC; shift them onto the wall clock.
        let monotonicToEpochMilliseconds = Clock.epochMilliseconds() - Int64(Clock.monotonicNanoseconds() / 1_000_000)
        return MemoryEventMetrics(
            userFaultsTotal: current.totals.user_faults,
            userFaults: faults,
            userFaultRatePerSecond: rate(faults),
            topFaulting: [],
            reclaimStallsTotal: current.totals.reclaim_stalls,
            reclaimStallNanosecondsTotal: current.totals.reclaim_ns,
            reclaimStalls: current.totals.reclaim_stalls.subtractingClamped(previous.totals.reclaim_stalls),
            reclaimStallNanoseconds: current.totals.reclaim_ns.subtractingClamped(previous.totals.reclaim_ns),
            oomKillsTotal: current.oomKills,
            recentOOMKills: current.oomVictims.map { victim in
                OOMKill(
                    pid: Int32(bitPattern: victim.pid), comm: victim.command, uid: victim.uid,
                    timestamp: monotonicToEpochMilliseconds + Int64(victim.time_ns / 1_000_000)
                )
            },
            mapFull: current.totals.process_map_full &+ current.totals.reclaim_untracked
        )
    }
}
