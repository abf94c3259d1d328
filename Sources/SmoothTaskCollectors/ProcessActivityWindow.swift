import SmoothTaskModel

/// Per-process activity over one collection interval, merged from every program that counts per
/// process: the table `processes.top` sorts and filters.
///
/// Each column holds only the processes that did something in the window; a column is `nil` when
/// its program did not measure the window, with the reason in ``unavailable``.
struct ProcessActivityWindow: Sendable {
    /// Nanoseconds on CPU per tgid (cpu_metrics).
    var cpuNanoseconds: [UInt32: UInt64]?
    /// Syscalls entered per tgid (syscalls).
    var syscalls: [UInt32: UInt64]?
    /// User-mode page faults per tgid (memory_events).
    var userFaults: [UInt32: UInt64]?
    /// Reclaim stalls per tgid (memory_events).
    var reclaimStalls: [UInt32: UInt64]?
    /// Nanoseconds stalled in reclaim per tgid (memory_events).
    var reclaimNanoseconds: [UInt32: UInt64]?
    /// Nanoseconds the window covers (between the cpu_metrics readings when it ran).
    var windowNanoseconds: UInt64
    /// Unix epoch milliseconds of the collection that closed the window.
    var timestamp: Int64
    /// Why a column is missing, keyed by ``ProcessTopSort`` raw value.
    var unavailable: [String: String] = [:]

    /// The rows `query` asks for, among those `isVisible` allows. Identity and procfs columns are
    /// read now, for matching rows only (and for the filters that need them), so the cost grows with
    /// the active processes, not with every process alive.
    ///
    /// `isVisible` sees each process (pid and owner uid) before the user, command and limit do, so a
    /// process it hides can neither be listed, found by a search nor counted in ``ProcessTop/matched``.
    func top(_ query: ProcessTopQuery, visibleTo isVisible: (any ProcessRow) -> Bool) -> ProcessTop {
        let sortColumn: [UInt32: UInt64]? =
            switch query.sort {
            case .cpu: cpuNanoseconds
            case .syscalls: syscalls
            case .faults: userFaults
            case .reclaim: reclaimNanoseconds
            }
        var active = Set<UInt32>()
        for column in [cpuNanoseconds, syscalls, userFaults, reclaimStalls, reclaimNanoseconds] {
            active.formUnion(column?.keys ?? [:].keys)
        }
        if let pid = query.pid { active = active.filter { $0 == UInt32(bitPattern: pid) } }
        let wantedUID = query.user.flatMap(UserDirectory.uid(of:))
        var rows: [(tgid: UInt32, key: UInt64, stat: ProcPIDStat?, uid: UInt32?)] = []
        for tgid in active {
            let pid = Int32(bitPattern: tgid)
            let uid = ProcPIDStat.owner(pid: pid)
            var identity = ProcessActivity(pid: pid)
            identity.uid = uid
            guard isVisible(identity) else { continue }
            let stat = ProcPIDStat.read(pid: pid)
            if query.user != nil, uid == nil || uid != wantedUID { continue }
            if let comm = query.comm, !(stat?.comm.contains(comm) ?? false) { continue }
            rows.append((tgid, sortColumn?[tgid] ?? 0, stat, uid))
        }
        rows.sort { $0.key != $1.key ? $0.key > $1.key : $0.tgid < $1.tgid }
        return ProcessTop(
            sort: query.sort,
            windowMilliseconds: Int64(windowNanoseconds / 1_000_000),
            timestamp: timestamp,
            matched: rows.count,
            processes: rows.prefix(query.limit).map { row($0.tgid, stat: $0.stat, uid: $0.uid) },
            unavailable: unavailable
        )
    }

    private func row(_ tgid: UInt32, stat: ProcPIDStat?, uid: UInt32?) -> ProcessActivity {
        var activity = ProcessActivity(pid: Int32(bitPattern: tgid))
        activity.comm = stat?.comm
        activity.uid = uid
        activity.user = uid.flatMap(UserDirectory.name(of:))
        activity.majorFaultsTotal = stat?.majorFaults
        activity.rssBytes = stat.map { $0.rssPages * ProcPIDStat.pageBytes }
        if let cpuNanoseconds {
            let nanoseconds = cpuNanoseconds[tgid] ?? 0
            activity.cpuTimeNanoseconds = nanoseconds
            activity.cpuPercent = windowNanoseconds > 0 ? Double(nanoseconds) / Double(windowNanoseconds) * 100 : 0
        }
        activity.syscalls = syscalls.map { $0[tgid] ?? 0 }
        activity.userFaults = userFaults.map { $0[tgid] ?? 0 }
        activity.reclaimStalls = reclaimStalls.map { $0[tgid] ?? 0 }
        activity.reclaimStallNanoseconds = reclaimNanoseconds.map { $0[tgid] ?? 0 }
        return activity
    }
}
