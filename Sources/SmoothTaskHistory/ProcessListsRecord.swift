import SmoothTaskModel

/// The metrics' per-process lists (`top_processes`, `syscalls.top_processes`,
/// `memory.events.top_faulting`, `disk.top_processes`) kept as references to the collection's own
/// process rows: per entry its pid and name, the figures come from the row. They were ~40% of a
/// collection's JSON and the least compressible part (16-digit rates), and they repeat the rows.
///
/// A list is stripped only when ``rebuild(_:rows:)`` gives it back exactly (``strip(_:rows:windowNanoseconds:)``
/// checks at write time); otherwise it stays in the JSON as it was. The name is the list's own, so
/// a process that exec'd is named as the live list named it.
struct ProcessListsRecord: Codable, Equatable {
    /// One list entry: the process and its name as listed; for CPU, the nanoseconds the row's
    /// microseconds dropped (``ProcessRowCodec/timeFigures``).
    struct Entry: Codable, Equatable {
        var pid: Int32
        var comm: String?
        var residue: Int64?

        init(pid: Int32, comm: String?, residue: Int64? = nil) {
            self.pid = pid
            self.comm = comm
            self.residue = residue
        }

        // An array, not an object: no key names in every entry.
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            pid = try container.decode(Int32.self)
            comm = try container.decodeNil() ? nil : try container.decode(String.self)
            residue = container.isAtEnd ? nil : try container.decode(Int64.self)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(pid)
            if let comm { try container.encode(comm) } else { try container.encodeNil() }
            if let residue { try container.encode(residue) }
        }
    }

    /// What the percentages and rates divide by.
    var windowNanoseconds: UInt64
    var cpu: [Entry]?
    var syscalls: [Entry]?
    var faults: [Entry]?
    var disk: [Entry]?

    enum CodingKeys: String, CodingKey {
        case windowNanoseconds = "w"
        case cpu, syscalls, faults, disk
    }

    /// Removes from `metrics` each list that ``rebuild(_:rows:)`` gives back exactly from `rows`
    /// (the collection's process rows as the store reads them back) and returns the references;
    /// `nil` (and `metrics` untouched) when no list could be.
    static func strip(_ metrics: inout EbpfMetrics, rows: [ProcessRowCodec.Row], windowNanoseconds: UInt64) -> ProcessListsRecord? {
        var listed = Set(metrics.topProcesses?.map(\.pid) ?? [])
        listed.formUnion(metrics.syscalls?.topProcesses.map(\.pid) ?? [])
        listed.formUnion(metrics.memory?.events?.topFaulting.map(\.pid) ?? [])
        listed.formUnion(metrics.disk?.topProcesses.map(\.pid) ?? [])
        let lookup = RowLookup(rows, pids: listed)
        var record = ProcessListsRecord(windowNanoseconds: windowNanoseconds)
        if let list = metrics.topProcesses, !list.isEmpty {
            let entries = list.map { entry in
                let stored = lookup.row(entry.pid).map { Int64($0.window.values[0]) } ?? 0
                return Entry(pid: entry.pid, comm: entry.comm, residue: Int64(bitPattern: entry.cpuTimeNanoseconds) &- stored)
            }
            if record.cpuList(entries, lookup) == list {
                record.cpu = entries
                metrics.topProcesses = nil
            }
        }
        if let list = metrics.syscalls?.topProcesses, !list.isEmpty {
            let entries = list.map { Entry(pid: $0.pid, comm: $0.comm) }
            if record.eventList(entries, lookup, figure: 1) == list {
                record.syscalls = entries
                metrics.syscalls?.topProcesses = []
            }
        }
        if let list = metrics.memory?.events?.topFaulting, !list.isEmpty {
            let entries = list.map { Entry(pid: $0.pid, comm: $0.comm) }
            if record.eventList(entries, lookup, figure: 3) == list {
                record.faults = entries
                metrics.memory?.events?.topFaulting = []
            }
        }
        if let list = metrics.disk?.topProcesses, !list.isEmpty {
            let entries = list.map { Entry(pid: $0.pid, comm: $0.comm) }
            if record.diskList(entries, lookup) == list {
                record.disk = entries
                metrics.disk?.topProcesses = []
            }
        }
        return record.cpu == nil && record.syscalls == nil && record.faults == nil && record.disk == nil ? nil : record
    }

    /// `stripped` with its lists put back from `rows`; `nil` when a row they refer to is missing.
    func rebuild(_ stripped: EbpfMetrics, rows: [ProcessRowCodec.Row]) -> EbpfMetrics? {
        var metrics = stripped
        let lookup = RowLookup(rows, pids: Set([cpu, syscalls, faults, disk].flatMap { $0 ?? [] }.map(\.pid)))
        if let cpu {
            guard let list = cpuList(cpu, lookup) else { return nil }
            metrics.topProcesses = list
        }
        if let syscalls {
            guard let list = eventList(syscalls, lookup, figure: 1) else { return nil }
            metrics.syscalls?.topProcesses = list
        }
        if let faults {
            guard let list = eventList(faults, lookup, figure: 3) else { return nil }
            metrics.memory?.events?.topFaulting = list
        }
        if let disk {
            guard let list = diskList(disk, lookup) else { return nil }
            metrics.disk?.topProcesses = list
        }
        return metrics
    }

    private init(windowNanoseconds: UInt64) {
        self.windowNanoseconds = windowNanoseconds
    }

    private func cpuList(_ entries: [Entry], _ lookup: RowLookup) -> [ProcessCPUUsage]? {
        guard windowNanoseconds > 0 else { return nil }
        var list: [ProcessCPUUsage] = []
        for entry in entries {
            guard let row = lookup.row(entry.pid), let figure = row.window.figure(0) else { return nil }
            let nanoseconds = UInt64(bitPattern: Int64(bitPattern: figure) &+ (entry.residue ?? 0))
            list.append(ProcessListBuilder.cpu(pid: entry.pid, comm: entry.comm, cpuNanoseconds: nanoseconds, windowNanoseconds: windowNanoseconds))
        }
        return list
    }

    private func eventList(_ entries: [Entry], _ lookup: RowLookup, figure index: Int) -> [ProcessEventCount]? {
        var list: [ProcessEventCount] = []
        for entry in entries {
            guard let count = lookup.row(entry.pid)?.window.figure(index) else { return nil }
            list.append(ProcessListBuilder.events(pid: entry.pid, comm: entry.comm, count: count, windowNanoseconds: windowNanoseconds))
        }
        return list
    }

    private func diskList(_ entries: [Entry], _ lookup: RowLookup) -> [ProcessDiskIO]? {
        var list: [ProcessDiskIO] = []
        for entry in entries {
            guard let row = lookup.row(entry.pid), let read = row.window.figure(6), let written = row.window.figure(7) else { return nil }
            list.append(ProcessListBuilder.disk(pid: entry.pid, comm: entry.comm, readBytes: read, writeBytes: written))
        }
        return list
    }

    /// The collection's rows by pid; a pid with two rows (one exited, one new, in one window) is
    /// ambiguous and finds none, so a list naming it is kept as it was.
    private struct RowLookup {
        var rows: [Int32: ProcessRowCodec.Row] = [:]

        /// Indexes only the rows of `pids` (the few dozen the lists name): a dictionary of every row was
        /// 10,000 entries built and faulted in each tick with 10,000 active processes.
        init(_ all: [ProcessRowCodec.Row], pids: Set<Int32>) {
            var ambiguous: Set<Int32> = []
            for row in all where pids.contains(row.pid) && rows.updateValue(row, forKey: row.pid) != nil { ambiguous.insert(row.pid) }
            for pid in ambiguous { rows[pid] = nil }
        }

        func row(_ pid: Int32) -> ProcessRowCodec.Row? { rows[pid] }
    }
}
