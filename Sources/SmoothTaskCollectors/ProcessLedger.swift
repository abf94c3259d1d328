/// Accounts for every process from one collection to the next, exited ones included: turns
/// successive ``ProcessCountersReading``s and the exit records between them into per-window
/// figures, so the CPU, syscalls, ... of a process that exits between two collections land in the
/// window it exited in, and adds them to the recently exited list.
struct ProcessLedger: Sendable {
    private var previous: [UInt32: ProcessCounters] = [:]
    /// Exits newer than the latest reading: they belong to the next window.
    private var deferred: [ExitedProcess] = []
    /// Processes whose exit was accounted in the latest window, by pid: an entry that comes back
    /// under such a pid while nothing runs under it holds what the process did after its exit
    /// record (its last switch, a disk completion), which belongs to it.
    private var justExited: [UInt32: ExitedProcess.Key] = [:]

    /// Starts counting windows at `reading`: what processes did before it is not in any window.
    mutating func restart(at reading: ProcessCountersReading) {
        previous = reading.perProcess
        deferred = []
        justExited = [:]
    }

    /// The window between the previous reading and `reading`, given the exits the kernel sent
    /// meanwhile (taken after `reading`, so an exit may also be newer than it); the window's exits
    /// join `recent`. ``ProcessWindowCounts/leftovers`` lists entries the caller should delete.
    mutating func advance(to reading: ProcessCountersReading, exits: [ExitedProcess], recent: inout RecentExits) -> ProcessWindowCounts {
        var window = ProcessWindowCounts(totals: reading.perProcess)
        window.execs = reading.execs
        var exitedNow: [UInt32: ExitedProcess.Key] = [:]
        let batch = Self.merged(deferred + exits)
        deferred = []
        for process in batch {
            if recent.merge(process) { continue }
            // It exited after the reading began: the reading may hold part of its last counts.
            if process.exitBoottimeNanoseconds >= reading.startedBoottimeNanoseconds {
                deferred.append(process)
                continue
            }
            let before = previous[process.pid] ?? ProcessCounters()
            window.exited.append((process, process.totals.subtracting(before)))
            recent.append(process)
            exitedNow[process.pid] = process.key
        }
        var exitedRows = Dictionary(window.exited.enumerated().map { ($0.element.process.key, $0.offset) }) { first, _ in first }
        // Sized for every process at once: growing it while 10,000 processes are active rehashed it
        // several times a tick.
        window.live.reserveCapacity(reading.perProcess.count)
        let anyExited = !exitedNow.isEmpty || !justExited.isEmpty
        for (tgid, counters) in reading.perProcess {
            if anyExited, let key = exitedNow[tgid] ?? justExited[tgid], ProcPIDStat.hasExited(pid: Int32(bitPattern: tgid)) {
                // Re-created after the exit record deleted it: all of it came after, unless the
                // previous reading already saw (and the window accounted) part of it.
                let before = exitedNow[tgid] == nil ? previous[tgid] ?? ProcessCounters() : ProcessCounters()
                addLeftover(counters.subtracting(before), of: key, to: &window, recent: &recent, rows: &exitedRows)
                window.leftovers.append(tgid)
                continue
            }
            let delta = counters.subtracting(previous[tgid] ?? ProcessCounters())
            if !delta.isZero { window.live[tgid] = delta }
        }
        // The leftovers leave the totals and the next baseline after the loop: removing each from two
        // copies of `reading.perProcess` in it copied that 10,000-entry dictionary twice a tick (the
        // reading still holds it), and most ticks on a busy machine have one; now once.
        for tgid in window.leftovers { window.totals[tgid] = nil }
        previous = window.totals
        justExited = exitedNow
        return window
    }

    /// Adds what an exited process did after its exit record to it: to its row in this window
    /// (a new row if it exited in an earlier one) and to its totals in `recent`.
    private func addLeftover(
        _ counters: ProcessCounters, of key: ExitedProcess.Key, to window: inout ProcessWindowCounts, recent: inout RecentExits,
        rows: inout [ExitedProcess.Key: Int]
    ) {
        guard let process = recent.add(counters, to: key) else { return }
        if let index = rows[key] {
            window.exited[index] = (process, window.exited[index].window.adding(counters))
        } else {
            rows[key] = window.exited.count
            window.exited.append((process, counters))
        }
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
