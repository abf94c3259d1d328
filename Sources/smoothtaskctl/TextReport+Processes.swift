#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskModel

/// The `top` views: the window (`top`), lifetime totals (`top --total`) and the recently exited
/// (`top --exited`).
extension TextReport {
    /// The `top` view: one row per process, `-` where a column is not measured; a process that
    /// exited in the window is marked after its name.
    static func processTop(_ top: ProcessTop) -> String {
        let span = window(max(top.windowMilliseconds, 1))
        var lines = [
            "Processes by \(top.sort.rawValue) over the last \(span) (\(top.processes.count) of \(top.matched) matching; "
                + "CPU% of one CPU)" + (top.source.map { ", source \($0)" } ?? "") + ":",
        ]
        lines.append("      PID USER         CPU%   SYSCALLS     FAULTS  RECLAIM-MS        RSS  COMMAND")
        for process in top.processes {
            let columns = [
                pad(String(process.pid), 9),
                owner(process).column(10),
                pad(process.cpuPercent.map { String(printf: "%.1f", $0) } ?? "-", 6),
                pad(process.syscalls.map(grouped) ?? "-", 10),
                pad(process.userFaults.map(grouped) ?? "-", 10),
                pad(process.reclaimStallNanoseconds.map(milliseconds) ?? "-", 11),
                pad(process.rssBytes.map(bytes) ?? "-", 10),
                " " + name(process),
            ]
            lines.append(columns.joined(separator: " "))
        }
        lines += unavailableLines(top.unavailable)
        return lines.joined(separator: "\n")
    }

    /// The `top --total` view: lifetime totals, CPU as TIME+; `*` marks totals that count only
    /// since accounting began, because the process is older.
    static func processTotals(_ top: ProcessTop) -> String {
        let span = window(max(top.windowMilliseconds, 1))
        var lines = [
            "Processes by total \(top.sort.rawValue) since they started (\(top.processes.count) of \(top.matched) matching; "
                + "collection of the last \(span)):",
            [
                pad("PID", 9), "USER".column(10), pad("TIME+ ", 13), pad("SYSCALLS", 11), pad("FAULTS", 10), pad("READ", 10),
                pad("WRITTEN", 10), pad("SENT", 10), pad("RECEIVED", 10), " COMMAND",
            ].joined(separator: " "),
        ]
        var accountingStart: Int64?
        for process in top.processes {
            let totals = process.totals
            let partial = totals?.since == .accountingStart
            if partial, let since = totals?.sinceMilliseconds { accountingStart = min(accountingStart ?? since, since) }
            let columns = [
                pad(String(process.pid), 9),
                owner(process).column(10),
                pad((totals?.cpuTimeNanoseconds.map(cpuTime) ?? "-") + (partial ? "*" : " "), 13),
                pad(totals?.syscalls.map(grouped) ?? "-", 11),
                pad(totals?.userFaults.map(grouped) ?? "-", 10),
                pad(totals?.diskReadBytes.map(bytes) ?? "-", 10),
                pad(totals?.diskWriteBytes.map(bytes) ?? "-", 10),
                pad(totals?.netSentBytes.map(bytes) ?? "-", 10),
                pad(totals?.netReceivedBytes.map(bytes) ?? "-", 10),
                " " + name(process),
            ]
            lines.append(columns.joined(separator: " "))
        }
        if let accountingStart {
            lines.append(
                "* since accounting began at \(clockTime(milliseconds: accountingStart)), when smoothtaskd started: the process is older"
            )
        }
        lines += unavailableLines(top.unavailable)
        return lines.joined(separator: "\n")
    }

    /// The `top --exited` view: who exited when, after how long, how, and what it cost in all. CPU
    /// and syscalls always have a column; the other totals only when some row has a non-zero one.
    static func exitedProcesses(_ exited: ExitedProcesses) -> String {
        let list = exited.list
        var lines = [
            "Recently exited processes by \(exited.sort.rawValue) (\(exited.processes.count) of \(exited.matched) matching; "
                + "smoothtaskd keeps the latest \(grouped(UInt64(list.capacity))), holds \(grouped(UInt64(list.held)))):",
        ]
        if list.dropped > 0 { lines.append("warning: " + droppedExits(list.dropped)) }
        let optional = optionalTotalColumns.filter { column in exited.processes.contains { ($0.totals?[keyPath: column.figure] ?? 0) > 0 } }
        let header = [
            pad("PID", 9), pad("PPID", 7), "USER".column(10), "EXITED".column(8), pad("LIFETIME", 10), "EXIT".column(13),
            pad("TIME+", 11), pad("SYSCALLS", 11),
        ] + optional.map { pad($0.title, $0.width) } + [" " + "COMM".column(16) + "COMMAND"]
        lines.append(header.joined(separator: " "))
        for process in exited.processes {
            let totals = process.totals
            var columns = [
                pad(String(process.pid), 9),
                pad(process.ppid.map(String.init) ?? "-", 7),
                owner(process).column(10),
                process.exitTimeMilliseconds.map { clockTime(milliseconds: $0) } ?? "-".column(8),
                pad(lifetime(process).map { elapsed(milliseconds: $0) } ?? "-", 10),
                exitStatus(process).column(13),
                pad(totals?.cpuTimeNanoseconds.map(cpuTime) ?? "-", 11),
                pad(totals?.syscalls.map(grouped) ?? "-", 11),
            ]
            columns += optional.map { column in pad(totals?[keyPath: column.figure].map(column.format) ?? "-", column.width) }
            columns.append(" " + (process.comm ?? "?").column(16) + (process.command ?? ""))
            lines.append(columns.joined(separator: " "))
        }
        lines += unavailableLines(exited.unavailable)
        return lines.joined(separator: "\n")
    }

    /// The `status` line about the recently exited list.
    static func exitedList(_ list: ExitedProcessesStatus) -> String {
        "\(grouped(UInt64(list.held))) of \(grouped(UInt64(list.capacity))) recently exited kept (\(bytes(UInt64(list.memoryBytes)))), "
            + "\(grouped(list.seen)) exits seen, " + (list.dropped == 0 ? "none lost" : "WARNING: " + droppedExits(list.dropped))
            + (list.tableFull == 0 ? "" : "; WARNING: the kernel's process table was full \(grouped(list.tableFull)) times: those processes' figures are missing")
    }

    private static func droppedExits(_ dropped: UInt64) -> String {
        "\(grouped(dropped)) exits lost (kernel ring buffer or daemon inbox full): those processes are missing "
            + "from `top --exited` and from the window they exited in"
    }

    /// A total shown by `top --exited` when some row has it.
    private struct TotalColumn {
        let title: String
        let width: Int
        let figure: KeyPath<ProcessTotals, UInt64?>
        let format: (UInt64) -> String
    }

    private static var optionalTotalColumns: [TotalColumn] {
        [
            TotalColumn(title: "FAILED", width: 9, figure: \.failedSyscalls, format: grouped),
            TotalColumn(title: "FAULTS", width: 10, figure: \.userFaults, format: grouped),
            TotalColumn(title: "RECLAIM-MS", width: 10, figure: \.reclaimStallNanoseconds, format: milliseconds),
            TotalColumn(title: "READ", width: 10, figure: \.diskReadBytes, format: bytes),
            TotalColumn(title: "WRITTEN", width: 10, figure: \.diskWriteBytes, format: bytes),
            TotalColumn(title: "SENT", width: 10, figure: \.netSentBytes, format: bytes),
            TotalColumn(title: "RECEIVED", width: 10, figure: \.netReceivedBytes, format: bytes),
            TotalColumn(title: "RUNQ-WAIT", width: 10, figure: \.runQueueWaitNanoseconds, format: { nanoseconds($0) }),
        ]
    }

    /// The name, and for a process that exited in the window how it ended: `make [exited: code 2]`.
    /// A live row without a name ran in the window but was gone when the reply was built.
    private static func name(_ process: ProcessActivity) -> String {
        guard process.state == .exited else { return process.comm ?? "(gone)" }
        return "\(process.comm ?? "?") [exited: \(exitStatus(process))]"
    }

    private static func owner(_ process: ProcessActivity) -> String {
        process.user ?? process.uid.map(String.init) ?? "?"
    }

    /// `code 3` or `SIGKILL`.
    static func exitStatus(_ process: ProcessActivity) -> String {
        if let signal = process.exitSignal { return SignalName.of(signal) }
        if let code = process.exitCode { return "code \(code)" }
        return "?"
    }

    private static func lifetime(_ process: ProcessActivity) -> UInt64? {
        guard let start = process.startTimeMilliseconds, let exit = process.exitTimeMilliseconds else { return nil }
        return UInt64(max(0, exit - start))
    }

    /// CPU time as top's TIME+ shows it, with hours: `0:01:02.34` (h:mm:ss.cc).
    static func cpuTime(_ nanoseconds: UInt64) -> String {
        let centiseconds = nanoseconds / 10_000_000
        return String(
            printf: "%llu:%02llu:%02llu.%02llu",
            centiseconds / 360_000, centiseconds / 6_000 % 60, centiseconds / 100 % 60, centiseconds % 100
        )
    }

    /// `12ms`, `3.42s`, `5m12s`, `2h03m`.
    static func elapsed(milliseconds: UInt64) -> String {
        if milliseconds < 1_000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 { return String(printf: "%.2fs", Double(milliseconds) / 1e3) }
        let seconds = milliseconds / 1_000
        if seconds < 3_600 { return "\(seconds / 60)m\(String(printf: "%02llu", seconds % 60))s" }
        return "\(seconds / 3_600)h\(String(printf: "%02llu", seconds % 3_600 / 60))m"
    }

    /// Nanoseconds as milliseconds with one decimal: `12.3`.
    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        String(printf: "%.1f", Double(nanoseconds) / 1e6)
    }

    /// Local wall-clock time of a Unix epoch millisecond: `14:03:27`.
    static func clockTime(milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1_000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "?" }
        return String(printf: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    private static func unavailableLines(_ unavailable: [String: String]) -> [String] {
        unavailable.sorted { $0.key < $1.key }.map { "\($0.key): n/a (\($0.value))" }
    }
}
