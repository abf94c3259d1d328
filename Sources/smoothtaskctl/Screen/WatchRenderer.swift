import SmoothTaskModel

/// Lays out the full-screen `watch`: a title line, the report `status` prints (scrolled), and a
/// bottom line; every line cut to the width.
struct WatchRenderer {
    var height: Int
    var width: Int

    /// Body lines between the title and the bottom line.
    var bodyRows: Int { max(0, height - 2) }

    func lines(state: WatchScreenState, metrics: EbpfMetrics?, groups: [MetricGroup], problem: String?) -> [ScreenLine] {
        guard height > 0, width > 0 else { return [] }
        if state.showingHelp { return help().prefix(height).map { $0.fitted(to: width) } }
        var lines = [problem.map { ScreenLine($0, style: .warning) } ?? title(state: state, metrics: metrics)]
        let body = metrics.map { TextReport.metrics($0, groups: groups).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        for line in body.dropFirst(clampedScroll(state.scroll, lines: body.count)).prefix(bodyRows) { lines.append(ScreenLine(line)) }
        while lines.count < height - 1 { lines.append(ScreenLine("")) }
        let bottom = state.message.map { ScreenLine($0, style: .warning) } ?? ScreenLine(
            "q quit  h help  space pause  " + (state.moment.isLive ? "Left: back in time" : "Left/Right: step, End: live"), style: .status
        )
        lines.append(bottom)
        return lines.prefix(height).map { $0.fitted(to: width) }
    }

    func clampedScroll(_ scroll: Int, lines: Int) -> Int {
        min(max(0, scroll), max(0, lines - bodyRows))
    }

    private func title(state: WatchScreenState, metrics: EbpfMetrics?) -> ScreenLine {
        var parts = ["smoothtaskctl watch"]
        switch state.moment {
        case .live: parts.append("live" + (metrics.map { " " + TextReport.clockTime(milliseconds: $0.timestamp) } ?? ""))
        case .recorded(let timestamp): parts.append("history " + TimeArgument.localText(timestamp))
        }
        if metrics == nil { parts.append("waiting for smoothtaskd...") }
        if state.paused { parts.append("PAUSED") }
        return ScreenLine(parts.joined(separator: " | "), style: .title)
    }

    private func help() -> [ScreenLine] {
        [
            ScreenLine("smoothtaskctl watch: keys (any key returns)", style: .title), ScreenLine(""),
            ScreenLine("q, Ctrl-C       quit"),
            ScreenLine("h, ?            this help"),
            ScreenLine("space           pause / resume"),
            ScreenLine("Left, Right     step back and forth through the recorded collections (history)"),
            ScreenLine("End             back to live"),
            ScreenLine("Up, Down, PgUp, PgDn, Home   scroll"),
        ]
    }
}
