import SmoothTaskModel

/// `smoothtaskctl cgroups` as a table: the same rows `--json` prints.
enum CgroupsTable {
    static func render(_ report: CgroupsReport) -> String {
        guard let rows = report.cgroups else {
            return "CPU per \(report.by.rawValue): unavailable (\(report.unavailable ?? report.source.rawValue))"
        }
        let heading = report.by == .unit ? "UNIT" : "CGROUP"
        var lines = ["CPU per \(report.by.rawValue) (last \(report.windowMilliseconds) ms):", "   CPU%  \(heading)"]
        for row in rows {
            let name = row.cgroup ?? "(removed cgroup \(row.id.map(String.init) ?? "?"))"
            lines.append("  \(String(printf: "%5.1f", row.cpuPercent))  \(name)")
        }
        if rows.isEmpty { lines.append("  (no cgroup ran in the window)") }
        return lines.joined(separator: "\n")
    }
}
