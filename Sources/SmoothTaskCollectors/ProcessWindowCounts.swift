/// What every process did in one collection window (``ProcessLedger/advance(to:exits:)``).
struct ProcessWindowCounts: Sendable {
    /// Live processes that did something in the window, by tgid.
    var live: [UInt32: ProcessCounters] = [:]
    /// Live processes' totals at the end of the window, by tgid.
    var totals: [UInt32: ProcessCounters]
    /// Processes that exited in the window: their final record and what they did in the window.
    var exited: [(process: ExitedProcess, window: ProcessCounters)] = []
    /// Entries of processes already gone whose counts were added to their exit: to delete from the maps.
    var leftovers: [(tgid: UInt32, counters: ProcessCounters)] = []
}

extension ProcessWindowCounts {
    /// The `limit` processes, live or exited in the window, with the largest `figure` (above 0),
    /// largest first, ties by pid; named from /proc, or from the exit record.
    func largest(_ limit: Int, by figure: (ProcessCounters) -> UInt64) -> [(pid: Int32, comm: String?, counts: ProcessCounters)] {
        var rows = live.map { (pid: $0.key, exited: ExitedProcess?.none, counts: $0.value) }
        rows += exited.map { (pid: $0.process.pid, exited: Optional($0.process), counts: $0.window) }
        return rows.filter { figure($0.counts) > 0 }
            .sorted { figure($0.counts) != figure($1.counts) ? figure($0.counts) > figure($1.counts) : $0.pid < $1.pid }
            .prefix(limit)
            .map { row in (Int32(bitPattern: row.pid), row.exited?.comm ?? EbpfMetricsCollector.command(of: row.pid), row.counts) }
    }
}
