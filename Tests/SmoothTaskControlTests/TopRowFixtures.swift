import SmoothTaskModel
@testable import smoothtaskctl

/// Rows built as the daemon would send them, for the screen tests.
enum TopRowFixtures {
    static func row(
        _ pid: Int32, comm: String, user: String = "root", cpu: Double = 0, rss: UInt64 = 0, syscalls: UInt64 = 0,
        parent: Int32? = nil, exited: Bool = false
    ) -> TopRow {
        var activity = ProcessActivity(pid: pid, state: exited ? .exited : .live)
        activity.comm = comm
        activity.command = "/usr/bin/\(comm) --flag"
        activity.user = user
        activity.uid = user == "root" ? 0 : 1000
        activity.cpuPercent = cpu
        activity.rssBytes = rss
        activity.syscalls = syscalls
        if exited { activity.exitCode = 0 }
        var row = TopRow(activity)
        row.parent = parent
        return row
    }

    /// Three processes whose orders by CPU, memory and syscalls all differ.
    static let three = [
        row(10, comm: "alpha", cpu: 50, rss: 1 << 20, syscalls: 5, parent: 1),
        row(20, comm: "beta", user: "alice", cpu: 10, rss: 1 << 30, syscalls: 700, parent: 10),
        row(30, comm: "gamma", cpu: 30, rss: 1 << 10, syscalls: 9_000, parent: 10),
    ]
}
