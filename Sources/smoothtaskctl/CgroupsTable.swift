#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskModel

/// `smoothtaskctl cgroups` as a table: the same rows `--json` prints.
enum CgroupsTable {
    static func render(_ report: CgroupsReport) -> String {
        guard let rows = report.cgroups else {
            return "CPU per \(report.by.rawValue): unavailable (\(report.unavailable ?? report.source.rawValue))"
        }
        let heading = report.by == .unit ? "UNIT" : "CGROUP"
        // CPU% of one CPU, as top and the process views count it: a unit busy on both of two CPUs
        // reads 200, while status's "busy" line is of all CPUs together (100 = every CPU busy).
        var lines = [
            "CPU per \(report.by.rawValue) (last \(TextReport.window(report.windowMilliseconds)); "
                + "CPU% of one CPU, \(onlineCPUs) CPUs = \(onlineCPUs * 100)%):",
            "   CPU%  \(heading)",
        ]
        for row in rows {
            let name = row.cgroup ?? nameless(row)
            lines.append("  \(String(printf: "%5.1f", row.cpuPercent))  \(name)")
        }
        if rows.isEmpty { lines.append("  (no cgroup ran in the window)") }
        return lines.joined(separator: "\n")
    }

    /// CPUs online on this machine, the daemon's too (it serves a local socket).
    private static var onlineCPUs: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// A cgroup the daemon could not name: outside its cgroup namespace (a container's), or removed.
    private static func nameless(_ row: CgroupCPUUsage) -> String {
        let id = row.id.map(String.init) ?? "?"
        guard row.outsideNamespace == true else { return "(removed cgroup \(id))" }
        // The hierarchy's root directory is always inode 1 on cgroup2.
        return row.id == 1 ? "(host root cgroup, outside smoothtaskd's cgroup namespace)" : "(cgroup \(id), outside smoothtaskd's cgroup namespace)"
    }
}
