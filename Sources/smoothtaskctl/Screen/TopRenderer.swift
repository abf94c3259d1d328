import SmoothTaskModel

/// Lays out the full-screen `top` for a screen of a given size: a title line, the column titles,
/// as many rows as fit and a bottom line. Columns that do not fit a narrow screen are left out
/// (least telling first) and every line is cut to the width, so nothing wraps.
struct TopRenderer {
    /// Screen size in cells.
    var height: Int
    var width: Int

    /// Columns dropped, in this order, until the fixed columns leave the command this many cells.
    static let commandMinimumWidth = 16
    static let droppedWhenNarrow: [TopColumn] = [.net, .disk, .faults, .syscalls, .user, .memory]

    /// The columns that fit `width`.
    var columns: [TopColumn] {
        var columns = TopColumn.allCases
        for candidate in Self.droppedWhenNarrow {
            guard Self.fixedWidth(columns) + Self.commandMinimumWidth > width else { break }
            columns.removeAll { $0 == candidate }
        }
        return columns
    }

    /// Table rows that fit between the two header lines and the bottom line.
    var tableRows: Int { max(0, height - 3) }

    /// - Parameters:
    ///   - top: the daemon's last answer (`nil` before the first).
    ///   - rows: the rows to show, already arranged (``TopScreenState/arranged(_:)``).
    ///   - problem: why the figures are not current (reconnecting...), shown instead of the title.
    func lines(state: TopScreenState, top: ProcessTop?, rows: [TopRow], problem: String?) -> [ScreenLine] {
        guard height > 0, width > 0 else { return [] }
        if state.showingHelp { return help().prefix(height).map { $0.fitted(to: width) } }
        var lines = [problem.map { ScreenLine($0, style: .warning) } ?? title(state: state, top: top, shown: rows.count)]
        let columns = columns
        lines.append(header(columns, sort: state.sort))
        let scroll = min(state.scroll, max(0, rows.count - tableRows))
        for row in rows.dropFirst(scroll).prefix(tableRows) {
            lines.append(ScreenLine(cells(row, columns), style: row.activity.state == .exited ? .exited : .normal))
        }
        while lines.count < height - 1 { lines.append(ScreenLine("")) }
        lines.append(bottom(state: state, top: top))
        return lines.prefix(height).map { $0.fitted(to: width) }
    }

    /// The scroll `state` may have, given how many rows there are to show.
    func clampedScroll(_ scroll: Int, rows: Int) -> Int {
        min(max(0, scroll), max(0, rows - tableRows))
    }

    private func title(state: TopScreenState, top: ProcessTop?, shown: Int) -> ScreenLine {
        var parts = ["smoothtaskctl top"]
        switch state.moment {
        case .live: parts.append("live" + (top.map { " " + TextReport.clockTime(milliseconds: $0.timestamp) } ?? ""))
        case .recorded(let timestamp): parts.append("history " + TimeArgument.localText(timestamp))
        }
        if let top {
            parts.append("window " + CollectionInterval.format(milliseconds: Int(max(1, top.windowMilliseconds))))
            parts.append(state.threads ? "\(shown) threads of \(top.processes.count) processes" : "\(shown)/\(top.processes.count) processes")
        } else {
            parts.append("waiting for smoothtaskd...")
        }
        parts.append("sort \(state.sort.rawValue)")
        if let filter = state.filter { parts.append("filter \(filter.description)") }
        if state.tree { parts.append("tree") }
        if state.paused { parts.append("PAUSED") }
        return ScreenLine(parts.joined(separator: " | "), style: .title)
    }

    private func header(_ columns: [TopColumn], sort: TopColumn) -> ScreenLine {
        var text = ""
        var emphasis: Range<Int>?
        for column in columns {
            if !text.isEmpty { text += " " }
            let start = text.count
            text += column == .command ? column.title : Self.aligned(column.title, column)
            if column == sort { emphasis = start..<text.count }
        }
        return ScreenLine(text.column(width), style: .columnTitles, emphasis: emphasis)
    }

    private func cells(_ row: TopRow, _ columns: [TopColumn]) -> String {
        columns.map { column in
            column == .command ? command(row) : Self.aligned(value(row, column), column)
        }.joined(separator: " ")
    }

    private func value(_ row: TopRow, _ column: TopColumn) -> String {
        let activity = row.activity
        switch column {
        case .pid: return String(activity.pid)
        case .user: return row.text(.user)
        case .cpu: return activity.cpuPercent.map { String(printf: "%.1f", $0) } ?? "-"
        case .memory: return activity.rssBytes.map { Self.compactBytes(Double($0)) } ?? "-"
        case .syscalls: return activity.syscalls.map(Self.compactCount) ?? "-"
        case .faults: return activity.userFaults.map(Self.compactCount) ?? "-"
        case .disk: return row.diskBytesPerSecond.map(Self.compactBytes) ?? "-"
        case .net: return row.netBytesPerSecond.map(Self.compactBytes) ?? "-"
        case .command: return command(row)
        }
    }

    private func command(_ row: TopRow) -> String {
        let indent = row.depth > 0 ? String(repeating: "  ", count: row.depth - 1) + "`- " : ""
        // Before the command, which a narrow column cuts.
        let exited = row.activity.state == .exited ? "[exited: \(TextReport.exitStatus(row.activity))] " : ""
        return indent + exited + row.text(.command)
    }

    private func bottom(state: TopScreenState, top: ProcessTop?) -> ScreenLine {
        if let prompt = state.prompt {
            return ScreenLine("Filter (user:NAME, cgroup:TEXT, comm:TEXT; Enter applies, Esc cancels): \(prompt)_", style: .status)
        }
        if let message = state.message { return ScreenLine(message, style: .warning) }
        if let top, let reason = top.unavailable.sorted(by: { $0.key < $1.key }).first {
            return ScreenLine("\(reason.key): n/a (\(reason.value))  h: keys", style: .status)
        }
        let history = state.moment.isLive ? "Left: back in time" : "Left/Right: step, End: live"
        return ScreenLine("q quit  h help  / filter  t tree  space pause  < > sort  \(history)", style: .status)
    }

    private func help() -> [ScreenLine] {
        var lines = [ScreenLine("smoothtaskctl top: keys (any key returns)", style: .title), ScreenLine("")]
        lines += [
            "q, Ctrl-C       quit",
            "h, ?            this help",
            "space           pause / resume",
            "/, f            filter: user:NAME, cgroup:TEXT (or unit:TEXT), comm:TEXT, or plain text",
            "u, g            filter by user, by cgroup or systemd unit",
            "Esc             clear the filter",
            "t               tree view (children under their parent)",
            "H               thread view: each process's threads, CPU from /proc/PID/task (live only)",
            "< >             previous / next sort column",
        ].map { ScreenLine($0) }
        lines += TopColumn.sortable.map { ScreenLine("\($0.sortKey)               sort by \($0.rawValue)") }
        lines += [
            "Left, Right     step back and forth through the recorded collections (history)",
            "End             back to live",
            "Up, Down, PgUp, PgDn, Home   scroll",
            "",
            "DISK/s and NET/s are rates between the last two collections, from the totals smoothtaskd counts.",
        ].map { ScreenLine($0) }
        return lines
    }

    /// Sum of the fixed columns' widths and the spaces between all columns.
    private static func fixedWidth(_ columns: [TopColumn]) -> Int {
        columns.reduce(0) { $0 + $1.width } + columns.count - 1
    }

    private static func aligned(_ text: String, _ column: TopColumn) -> String {
        if column.leftAligned { return text.column(column.width) }
        return text.count >= column.width ? String(text.suffix(column.width)) : TextReport.pad(text, column.width)
    }

    /// `123`, `12,345`, `1.2M`: at most 9 characters.
    static func compactCount(_ value: UInt64) -> String {
        if value < 1_000_000 { return TextReport.grouped(value) }
        if value < 1_000_000_000 { return String(printf: "%.1fM", Double(value) / 1e6) }
        return String(printf: "%.1fG", Double(value) / 1e9)
    }

    /// `512B`, `1.5K`, `12.3M`, `2.0G` (powers of 1024): at most 7 characters.
    static func compactBytes(_ value: Double) -> String {
        let units = ["B", "K", "M", "G", "T"]
        var value = value
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? String(printf: "%.0fB", value) : String(printf: "%.1f", value) + units[unit]
    }
}
