import Foundation
import SmoothTaskCollectors
import SmoothTaskHistory
import SmoothTaskModel
import SmoothTaskProtocol

/// Answers from the history (issue 14): the same schemas as the live answers, marked `recorded`,
/// their rows through the same visibility step. Nonisolated: reads go to the store's reader
/// connections and never wait for a tick or the writer.
extension DaemonState {
    /// The recorded collection at or just before `params.at` (or the first after `params.after`),
    /// redacted for `viewer` like a live `metrics.get`.
    nonisolated func recordedMetrics(_ params: MetricsGetParams, for viewer: Viewer) async throws(RPCError) -> Visible<EbpfMetrics> {
        let store = try historyStore()
        let found: EbpfMetrics?
        do {
            found = try await store.collection(at: params.at, after: params.after)
        } catch {
            throw RPCError(.internalError, "the history could not be read: \(error)")
        }
        guard let found else {
            let moment = params.at.map { "at or before \($0)" } ?? "after \(params.after ?? 0)"
            throw RPCError(.unavailable, "no collection recorded \(moment); smoothtaskctl history shows the range held")
        }
        return Visible(found, for: viewer)
    }

    /// Processes over a recorded range, each one's window figures summed over it; hidden processes
    /// are dropped before the filters and the limit, as in the live answer.
    nonisolated func recordedTopProcesses(_ query: ProcessTopQuery, for viewer: Viewer) async throws(RPCError) -> Visible<ProcessTop> {
        let store = try historyStore()
        let (from, to) = Self.range(query.from, query.to)
        let range: RecordedProcessRange
        do {
            range = try await store.processes(from: from, to: to)
        } catch {
            throw RPCError(.internalError, "the history could not be read: \(error)")
        }
        let wantedUID = query.user.flatMap(UserDirectory.uid(of:))
        // Sorted as small keys pointing into the range's rows, and only the rows answered named:
        // sorting the whole rows moved every one of an hour's thousands at each step.
        var order: [(key: UInt64, pid: Int32, index: Int)] = []
        for (index, row) in range.processes.enumerated() {
            guard viewer.shows(row) else { continue }
            if let pid = query.pid, row.pid != pid { continue }
            if !query.includeExited, row.state == .exited { continue }
            if query.user != nil, row.uid == nil || row.uid != wantedUID { continue }
            if let comm = query.comm, !(row.comm?.contains(comm) ?? false), !(row.command?.contains(comm) ?? false) { continue }
            order.append((query.sortKey(of: row), row.pid, index))
        }
        order.sort { $0.key != $1.key ? $0.key > $1.key : $0.pid < $1.pid }
        let answered = order.prefix(query.limit).map { entry in
            var row = range.processes[entry.index]
            row.user = row.uid.flatMap(UserDirectory.name(of:))
            return row
        }
        var top = ProcessTop(
            sort: query.sort, windowMilliseconds: range.coveredMilliseconds, timestamp: range.newest ?? to, matched: order.count,
            processes: answered,
            unavailable: range.collections == 0 ? ["processes": "no collection recorded between \(from) and \(to)"] : [:]
        )
        top.recorded = true
        top.from = from
        top.to = to
        return Visible(top, for: viewer)
    }

    /// CPU per cgroup (or unit) summed over a recorded range.
    nonisolated func recordedCgroupsTop(_ params: CgroupsTopParams) async throws(RPCError) -> CgroupsReport {
        let store = try historyStore()
        let (from, to) = Self.range(params.from, params.to)
        let limit = try params.validatedLimit()
        let range: RecordedCgroupRange
        do {
            range = try await store.cgroups(from: from, to: to)
        } catch {
            throw RPCError(.internalError, "the history could not be read: \(error)")
        }
        var report = CgroupsReport(
            by: .cgroup, cgroups: range.cgroups, timestamp: range.newest ?? to, windowMilliseconds: range.coveredMilliseconds,
            source: range.collections == 0 ? .unavailable : .ebpf,
            unavailable: range.collections == 0 ? "no collection recorded between \(from) and \(to)" : nil
        ).top(limit, by: params.by ?? .cgroup)
        report.recorded = true
        report.from = from
        report.to = to
        return report
    }

    /// `history.info`: what the store holds and how recording fares.
    nonisolated func historyInfo() async throws(RPCError) -> HistoryInfo {
        guard let history else { throw RPCError(.unavailable, "this daemon keeps no history (start it with --state-dir)") }
        return await history.info()
    }

    /// The store, or `-32002` saying why there is none.
    private nonisolated func historyStore() throws(RPCError) -> HistoryStore {
        guard let store = history?.store else {
            throw RPCError(.unavailable, "no history store: start smoothtaskd with --state-dir, or see smoothtaskctl status")
        }
        return store
    }

    /// A range with its open ends closed: from the beginning of time, until now.
    private nonisolated static func range(_ from: Int64?, _ to: Int64?) -> (Int64, Int64) {
        (from ?? 0, to ?? Int64(Date().timeIntervalSince1970 * 1000))
    }
}
