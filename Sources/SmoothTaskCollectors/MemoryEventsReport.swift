import SmoothTaskModel

/// Turns two memory_events snapshots into the wire's ``MemoryEventMetrics``.
enum MemoryEventsReport {
    /// The figures of the interval between `previous` and `current`; `comm` names a process.
    static func metrics(
        current: MemoryEventsSnapshot, previous: MemoryEventsSnapshot, comm: (UInt32) -> String?
    ) -> MemoryEventMetrics {
        let seconds = Double(current.takenAtNanoseconds.subtractingClamped(previous.takenAtNanoseconds)) / 1e9
        func rate(_ count: UInt64) -> Double { seconds > 0 ? Double(count) / seconds : 0 }
        let faults = current.totals.user_faults.subtractingClamped(previous.totals.user_faults)
        let faulting = CounterDeltas.between(current.perProcess(\.user_faults), previous.perProcess(\.user_faults))
        // The kernel stamps kills with CLOCK_MONOTONIC; shift them onto the wall clock.
        let monotonicToEpochMilliseconds = Clock.epochMilliseconds() - Int64(Clock.monotonicNanoseconds() / 1_000_000)
        return MemoryEventMetrics(
            userFaultsTotal: current.totals.user_faults,
            userFaults: faults,
            userFaultRatePerSecond: rate(faults),
            topFaulting: CounterDeltas.largest(faulting, limit: MemoryEventMetrics.topLimit).map {
                ProcessEventCount(pid: Int32(bitPattern: $0.key), comm: comm($0.key), count: $0.value, ratePerSecond: rate($0.value))
            },
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
