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
    /// - Parameter names: live processes' names read from /proc so far in this collection: the same
    ///   busy process heads several lists, and each /proc read is an open, a read and a close (the
    ///   five lists read up to 25 a tick).
    func largest(
        _ limit: Int, by figure: (ProcessCounters) -> UInt64, names: inout [UInt32: String?]
    ) -> [(pid: Int32, comm: String?, counts: ProcessCounters)] {
        var largest = LargestSelection<(exited: ExitedProcess?, counts: ProcessCounters)>(limit: limit)
        for (tgid, counts) in live { largest.offer(figure(counts), pid: tgid) { (nil, counts) } }
        for (process, window) in exited { largest.offer(figure(window), pid: process.pid) { (process, window) } }
        return largest.rows.map { row in
            if let exited = row.row.exited { return (Int32(bitPattern: row.pid), exited.comm, row.row.counts) }
            if let known = names[row.pid] { return (Int32(bitPattern: row.pid), known, row.row.counts) }
            let comm = EbpfMetricsCollector.command(of: row.pid)
            names[row.pid] = comm
            return (Int32(bitPattern: row.pid), comm, row.row.counts)
        }
    }
}
