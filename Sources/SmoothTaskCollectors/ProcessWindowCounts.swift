/// What every process did in one collection window (``ProcessLedger/advance(to:exits:)``).
struct ProcessWindowCounts: Sendable {
    /// Live processes that did something in the window, by tgid.
    var live: [UInt32: ProcessCounters] = [:]
    /// Live processes' totals at the end of the window, by tgid.
    var totals: [UInt32: ProcessCounters]
    /// Execs each live process made while counted (``ProcessIdentityCache`` re-reads a name when it changes).
    var execs: [UInt32: UInt32] = [:]
    /// Processes that exited in the window: their final record and what they did in the window.
    var exited: [(process: ExitedProcess, window: ProcessCounters)] = []
    /// Entries of processes already gone whose counts were added to their exit: to delete from the table.
    var leftovers: [UInt32] = []
}

extension ProcessWindowCounts {
    /// The `limit` processes, live or exited in the window, with the largest `figure` (above 0),
    /// largest first, ties by pid; named from /proc, or from the exit record.
    func largest(_ limit: Int, by figure: (ProcessCounters) -> UInt64) -> [(pid: Int32, comm: String?, counts: ProcessCounters)] {
        // A selection of `limit` rows in one pass: lists are 5-10 rows long, windows can hold
        // thousands of processes (a build), so no sort of them all.
        typealias Row = (value: UInt64, pid: UInt32, exited: ExitedProcess?, counts: ProcessCounters)
        var best: [Row] = []
        func offer(_ row: Row) {
            guard row.value > 0 else { return }
            func before(_ a: Row, _ b: Row) -> Bool { a.value != b.value ? a.value > b.value : a.pid < b.pid }
            if best.count == limit, let last = best.last, !before(row, last) { return }
            let index = best.firstIndex { before(row, $0) } ?? best.count
            best.insert(row, at: index)
            if best.count > limit { best.removeLast() }
        }
        for (tgid, counts) in live { offer((figure(counts), tgid, nil, counts)) }
        for (process, window) in exited { offer((figure(window), process.pid, process, window)) }
        return best.map { row in (Int32(bitPattern: row.pid), row.exited?.comm ?? EbpfMetricsCollector.command(of: row.pid), row.counts) }
    }
}
