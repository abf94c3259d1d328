import SmoothTaskModel

/// The human view of ``DaemonOverhead``: `smoothtaskctl overhead` prints it whole, `status` its first line.
enum OverheadReport {
    static func render(_ overhead: DaemonOverhead) -> String {
        var lines = ["Daemon:     " + summary(overhead)]
        lines.append("eBPF cost:  " + (overhead.bpfStatsEnabled ? "per program, from the kernel's counters" : "not counted"))
        lines.append("  " + overhead.bpfStatsNote)
        if overhead.bpfStatsEnabled {
            // Columns as wide as the longest name and hook: every program of every object is listed,
            // and a cut name or hook could not be matched with bpftool's.
            let widths = (
                name: overhead.programs.map(\.name.count).max().map { max($0, 7) } ?? 7,
                hook: overhead.programs.map(\.hook.count).max().map { max($0, 4) } ?? 4
            )
            lines.append("  " + "PROGRAM".column(widths.name) + " " + "HOOK".column(widths.hook)
                + "       RUNS      TOTAL ms     NS/EVENT")
            lines += overhead.programs.map { program($0, widths: widths) }
        }
        if let budget = overhead.budget {
            lines += budgetLines(budget)
            // As wide as the longest name, like the table above: a cut name could not be matched with it.
            let width = max(budget.programs.map(\.name.count).max() ?? 0, 7)
            lines.append("  " + "PROGRAM".column(width) + "   EVENTS/S   NS/EVENT  COST        % OF ONE CPU")
            lines += budget.programs.map { estimateLine($0, width: width) }
        }
        return lines.joined(separator: "\n")
    }

    /// `Budget:     0.500% of one CPU, estimate 0.412% (daemon 0.380%, programs 0.032%)` and one line per shed object.
    static func budgetLines(_ budget: OverheadBudget) -> [String] {
        let limit = budget.limitPercent == 0 ? "no limit" : String(printf: "%.3f%% of one CPU", budget.limitPercent)
        var lines = ["Budget:     " + limit + String(
            printf: ", estimate %.3f%% (daemon %.3f%%, programs %.3f%%)", budget.estimatePercent, budget.daemonPercent,
            budget.programsPercent
        )]
        lines += budget.shed.map { "  shed \($0.object) since \(TimeArgument.localText($0.sinceMilliseconds)): \($0.reason)" }
        return lines
    }

    private static func estimateLine(_ row: ProgramCostEstimate, width: Int) -> String {
        let rate = row.eventsPerSecond.map { String(printf: "%10.0f", $0) } ?? "         -"
        let cost = row.nanosecondsPerEvent.map { String(printf: "%10.1f", $0) } ?? "         -"
        let percent = row.percent.map { String(printf: "%8.3f%%", $0) } ?? "        -"
        return "  " + row.name.column(width) + " " + rate + " " + cost + "  " + row.costSource.rawValue.column(10) + percent
            + (row.attached ? "" : "  (detached)")
    }

    /// `0.21% of one CPU (last 1s), 0.35% since start, RSS 14.2 MiB`.
    static func summary(_ overhead: DaemonOverhead) -> String {
        let window = TextReport.window(overhead.windowMilliseconds)
        return String(printf: "%.2f%% of one CPU (last ", overhead.cpuPercent) + window
            + String(printf: "), %.2f%% since start, RSS %.1f MiB", overhead.cpuPercentSinceStart, Double(overhead.rssBytes) / 1_048_576)
    }

    private static func program(_ program: ProgramOverhead, widths: (name: Int, hook: Int)) -> String {
        let name = program.name.column(widths.name)
        let hook = program.hook.column(widths.hook)
        guard let runs = program.runCount, let total = program.runTimeNanoseconds else {
            return "  \(name) \(hook)  n/a: \(program.detail ?? "not counted")"
        }
        let perEvent = program.nanosecondsPerEvent.map { String(printf: "%12.0f", $0) } ?? "           -"
        return "  \(name) \(hook) " + String(printf: "%10llu %10.3f ms ", runs, Double(total) / 1e6) + perEvent
            + (program.attached ? "" : "  (detached)")
    }
}
