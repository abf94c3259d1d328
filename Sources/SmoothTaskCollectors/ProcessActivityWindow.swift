import SmoothTaskModel

/// Per-process activity over one collection interval and since each process started, live and
/// exited processes alike: the table `processes.top` sorts and filters.
///
/// A column is `nil` when its program did not count the window, with the reason in ``unavailable``.
struct ProcessActivityWindow: Sendable {
    /// What each process did in the window, and the live processes' totals.
    var counts: ProcessWindowCounts?
    /// The programs that counted the window.
    var areas: Set<ProcessCountingArea> = []
    /// Nanoseconds the window covers.
    var windowNanoseconds: UInt64
    /// Unix epoch milliseconds of the collection that closed the window.
    var timestamp: Int64
    /// CLOCK_BOOTTIME nanoseconds at which per-process accounting began: older processes' totals
    /// count from then.
    var accountingStartBoottime: UInt64 = 0
    /// Why a column is missing, keyed by ``ProcessTopSort`` raw value.
    var unavailable: [String: String] = [:]
    /// Where ``counts`` came from: the eBPF process table, or /proc/PID/stat in the fallback.
    var source: MetricSource = .ebpf

    /// The rows `query` asks for, among those `isVisible` allows. Identity and procfs columns are
    /// read now, for candidate rows only, so the cost grows with the active processes (with every
    /// counted process when sorting by totals), not with every process alive.
    ///
    /// `isVisible` sees each process (pid and owner uid) before the user, command and limit do, so a
    /// process it hides can neither be listed, found by a search nor counted in ``ProcessTop/matched``.
    /// - Parameter exitedSince: the exit record of a process gone since the collection, if any.
    func top(
        _ query: ProcessTopQuery, visibleTo isVisible: (any ProcessRow) -> Bool, exitedSince: (UInt32) -> ExitedProcess? = { _ in nil }
    ) -> ProcessTop {
        let wantedUID = query.user.flatMap(UserDirectory.uid(of:))
        var rows: [(key: UInt64, row: ProcessActivity)] = []
        let live = query.total ? counts?.totals ?? [:] : counts?.live ?? [:]
        for tgid in live.keys where query.pid.map({ $0 == Int32(bitPattern: tgid) }) ?? true {
            let pid = Int32(bitPattern: tgid)
            var identity = ProcessActivity(pid: pid)
            identity.uid = ProcPIDStat.owner(pid: pid)
            let stat = ProcPIDStat.read(pid: pid)
            let gone = stat == nil ? exitedSince(tgid) : nil
            identity.uid = identity.uid ?? gone?.uid
            guard isVisible(identity) else { continue }
            if query.user != nil, identity.uid == nil || identity.uid != wantedUID { continue }
            if let comm = query.comm, !((stat?.comm ?? gone?.comm)?.contains(comm) ?? false) { continue }
            var row = liveRow(tgid, stat: stat, uid: identity.uid)
            if let gone {
                row.comm = gone.comm
                row.command = gone.command
            }
            rows.append((sortKey(row, query), row))
        }
        if query.includeExited {
            for (process, window) in counts?.exited ?? [] where query.pid.map({ $0 == Int32(bitPattern: process.pid) }) ?? true {
                let row = exitedRow(process, window: window)
                guard isVisible(row) else { continue }
                if query.user != nil, process.uid != wantedUID { continue }
                if let comm = query.comm, !process.comm.contains(comm) { continue }
                rows.append((sortKey(row, query), row))
            }
        }
        rows.sort { $0.key != $1.key ? $0.key > $1.key : $0.row.pid < $1.row.pid }
        var shown = Array(rows.prefix(query.limit).map(\.row))
        for index in shown.indices where shown[index].state == .live && shown[index].command == nil {
            shown[index].command = ProcPIDStat.commandLine(pid: shown[index].pid)
        }
        return ProcessTop(
            sort: query.sort,
            windowMilliseconds: Int64(windowNanoseconds / 1_000_000),
            timestamp: timestamp,
            matched: rows.count,
            processes: shown,
            unavailable: unavailable,
            source: counts == nil ? nil : source
        )
    }

    /// Rows for exited processes from the recently exited list, as `processes.exited` lists them.
    func exitedRows(_ processes: [ExitedProcess]) -> [ProcessActivity] {
        processes.map { exitedRow($0, window: nil) }
    }

    private func sortKey(_ row: ProcessActivity, _ query: ProcessTopQuery) -> UInt64 {
        query.sortKey(of: row)
    }

    private func liveRow(_ tgid: UInt32, stat: ProcPIDStat?, uid: UInt32?) -> ProcessActivity {
        var activity = ProcessActivity(pid: Int32(bitPattern: tgid))
        activity.comm = stat?.comm
        activity.uid = uid
        activity.user = uid.flatMap(UserDirectory.name(of:))
        activity.majorFaultsTotal = stat?.majorFaults
        activity.rssBytes = stat.map { $0.rssPages * ProcPIDStat.pageBytes }
        fillWindow(&activity, counts?.live[tgid] ?? ProcessCounters())
        if let totals = counts?.totals[tgid] {
            let startBoottime = stat.map { $0.startTicks * (1_000_000_000 / ProcPIDStat.ticksPerSecond) }
            activity.totals = processTotals(totals, startBoottime: startBoottime)
        }
        return activity
    }

    private func exitedRow(_ process: ExitedProcess, window: ProcessCounters?) -> ProcessActivity {
        var activity = ProcessActivity(pid: Int32(bitPattern: process.pid), state: .exited)
        activity.comm = process.comm
        activity.command = process.command
        activity.uid = process.uid
        activity.user = UserDirectory.name(of: process.uid)
        activity.ppid = Int32(bitPattern: process.ppid)
        activity.startTimeMilliseconds = Clock.epochMilliseconds(ofBoottime: process.startBoottimeNanoseconds)
        activity.exitTimeMilliseconds = Clock.epochMilliseconds(ofBoottime: process.exitBoottimeNanoseconds)
        activity.exitCode = process.exitCode
        activity.exitSignal = process.exitSignal
        activity.cgroupID = process.cgroupID
        if let window { fillWindow(&activity, window) }
        activity.totals = processTotals(process.totals, startBoottime: process.startBoottimeNanoseconds)
        return activity
    }

    private func fillWindow(_ activity: inout ProcessActivity, _ window: ProcessCounters) {
        if areas.contains(.cpu) {
            activity.cpuTimeNanoseconds = window.cpuNanoseconds
            activity.cpuPercent = windowNanoseconds > 0 ? Double(window.cpuNanoseconds) / Double(windowNanoseconds) * 100 : 0
        }
        if areas.contains(.syscalls) { activity.syscalls = window.syscalls }
        if areas.contains(.memory) {
            activity.userFaults = window.userFaults
            activity.reclaimStalls = window.reclaimStalls
            activity.reclaimStallNanoseconds = window.reclaimNanoseconds
        }
    }

    /// The wire totals of `counters`, each `nil` when its program is not counting; they cover the
    /// whole life when the process started after accounting began (an unknown start: since accounting).
    func processTotals(_ counters: ProcessCounters, startBoottime: UInt64?) -> ProcessTotals {
        let wholeLife = startBoottime.map { $0 >= accountingStartBoottime } ?? false
        let since = wholeLife ? startBoottime ?? accountingStartBoottime : accountingStartBoottime
        var totals = figures(counters)
        totals.since = wholeLife ? .processStart : .accountingStart
        totals.sinceMilliseconds = Clock.epochMilliseconds(ofBoottime: since)
        return totals
    }

    /// `counters` as wire figures, each `nil` when its program did not count (`since` left unset).
    func figures(_ counters: ProcessCounters) -> ProcessTotals {
        var figures = ProcessTotals(since: .accountingStart, sinceMilliseconds: 0)
        if areas.contains(.cpu) { figures.cpuTimeNanoseconds = counters.cpuNanoseconds }
        if areas.contains(.syscalls) {
            figures.syscalls = counters.syscalls
            figures.failedSyscalls = counters.failedSyscalls
        }
        if areas.contains(.memory) {
            figures.userFaults = counters.userFaults
            figures.reclaimStalls = counters.reclaimStalls
            figures.reclaimStallNanoseconds = counters.reclaimNanoseconds
        }
        if areas.contains(.disk) {
            figures.diskReadBytes = counters.diskReadBytes
            figures.diskWriteBytes = counters.diskWriteBytes
        }
        if areas.contains(.network) {
            figures.netSentBytes = counters.netSentBytes
            figures.netReceivedBytes = counters.netReceivedBytes
        }
        if areas.contains(.runQueue) { figures.runQueueWaitNanoseconds = counters.runQueueWaitNanoseconds }
        return figures
    }
}
