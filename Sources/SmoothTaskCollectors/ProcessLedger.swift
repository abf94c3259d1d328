/// Accounts for every process from one collection to the next, exited ones included: turns
/// successive ``ProcessCountersReading``s and the exit records between them into per-window
/// figures, so the CPU, syscalls, ... of a process that exits between two collections land in the
/// window it exited in, and adds them to the recently exited list.
struct ProcessLedger: Sendable {
    private var previous: [UInt32: ProcessCounters] = [:]
    /// Exits whose process was still in the latest reading: they belong to the next window.
    private var deferred: [ExitedProcess] = []

    /// Starts counting windows at `reading`: what processes did before it is not in any window.
    mutating func restart(at reading: ProcessCountersReading) {
        previous = reading.perProcess
        deferred = []
    }

    /// The window between the previous reading and `reading`, given the exits the kernel sent
    /// meanwhile (read after `reading`, so an exit may also be newer than it); the window's exits
    /// join `recent`.
    mutating func advance(to reading: ProcessCountersReading, exits: [ExitedProcess], recent: inout RecentExits) -> ProcessWindowCounts {
        var window = ProcessWindowCounts(totals: reading.perProcess)
        let carried = Set(deferred.map(\.key))
        let batch = Self.merged(deferred + exits)
        deferred = []
        for process in batch {
            if recent.merge(process) { continue }
            // Still in the reading: it exited after it, so its last part belongs to the next window.
            // Only once: a live entry under its pid after that is a new process with a reused pid.
            if reading.perProcess[process.pid] != nil, !carried.contains(process.key) {
                deferred.append(process)
                continue
            }
            let before = previous[process.pid] ?? ProcessCounters()
            window.exited.append((process, process.totals.subtracting(before)))
            recent.append(process)
        }
        for (tgid, counters) in reading.perProcess {
            let delta = counters.subtracting(previous[tgid] ?? ProcessCounters())
            if !delta.isZero { window.live[tgid] = delta }
        }
        previous = reading.perProcess
        return window
    }

    /// One record per process: two threads that both saw their process die send two.
    private static func merged(_ exits: [ExitedProcess]) -> [ExitedProcess] {
        var result: [ExitedProcess] = []
        var indices: [ExitedProcess.Key: Int] = [:]
        for process in exits {
            if let index = indices[process.key] {
                result[index].totals = result[index].totals.merging(process.totals)
            } else {
                indices[process.key] = result.count
                result.append(process)
            }
        }
        return result
    }
}
