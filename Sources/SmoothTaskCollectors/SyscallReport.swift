import SmoothTaskModel

/// Turns two syscall snapshots into the wire's ``SyscallMetrics``.
enum SyscallReport {
    /// The figures of the interval between `previous` and `current`. ``SyscallMetrics/topProcesses``
    /// is left empty: the collector fills it from its one per-process window (``ProcessLedger``).
    static func metrics(current: SyscallSnapshot, previous: SyscallSnapshot) -> SyscallMetrics {
        let seconds = Double(current.takenAtNanoseconds.subtractingClamped(previous.takenAtNanoseconds)) / 1e9
        func rate(_ count: UInt64) -> Double { seconds > 0 ? Double(count) / seconds : 0 }

        var perSyscall: [UInt32: UInt64] = [:]
        for (id, count) in current.perSyscall.enumerated() where count > 0 {
            let before = id < previous.perSyscall.count ? previous.perSyscall[id] : 0
            if count > before { perSyscall[UInt32(id)] = count - before }
        }
        let windowCount = current.totals.count.subtractingClamped(previous.totals.count)
        let failures = CounterDeltas.between(current.failures, previous.failures)
        let limit = SyscallMetrics.topLimit
        return SyscallMetrics(
            architecture: SyscallTable.architecture,
            total: current.totals.count,
            failuresTotal: current.totals.failures,
            windowCount: windowCount,
            ratePerSecond: rate(windowCount),
            failureRatePerSecond: rate(current.totals.failures.subtractingClamped(previous.totals.failures)),
            topSyscalls: CounterDeltas.largest(perSyscall, limit: limit).map {
                SyscallCount(id: $0.key, name: SyscallTable.name(of: $0.key), count: $0.value, ratePerSecond: rate($0.value))
            },
            topFailures: failures.sorted { $0.value != $1.value ? $0.value > $1.value : ($0.key.id, $0.key.error) < ($1.key.id, $1.key.error) }
                .prefix(limit)
                .map {
                    SyscallFailureCount(
                        id: $0.key.id, name: SyscallTable.name(of: $0.key.id), errno: $0.key.error,
                        errnoName: SyscallTable.errnoName(of: $0.key.error), count: $0.value
                    )
                },
            topProcesses: [],
            mapFull: current.totals.process_map_full &+ current.totals.failure_map_full
        )
    }
}
