import SmoothTaskModel

/// One process as the full-screen `top` shows it: the daemon's row, plus what the client adds
/// itself (parent and cgroup from /proc, disk and network rates from successive totals).
struct TopRow: Equatable, Sendable {
    var activity: ProcessActivity
    /// Parent pid: the daemon's for an exited row, /proc/PID/stat's for a live one (tree view only).
    var parent: Int32?
    /// The cgroup v2 path from /proc/PID/cgroup (only while a cgroup filter is set).
    var cgroup: String?
    /// Bytes per second of block I/O read and written, from the change of its totals between two
    /// collections; `nil` until two have been seen, or when the daemon does not count disk bytes.
    var diskBytesPerSecond: Double?
    /// Bytes per second sent and received on its sockets, likewise.
    var netBytesPerSecond: Double?
    /// Nesting in the tree view (0 at a root, and always outside it).
    var depth = 0

    init(_ activity: ProcessActivity) {
        self.activity = activity
        parent = activity.ppid
    }

    var pid: Int32 { activity.pid }

    /// The figure a numeric column sorts by.
    func figure(_ column: TopColumn) -> Double? {
        switch column {
        case .pid: Double(activity.pid)
        case .cpu: activity.cpuPercent
        case .memory: activity.rssBytes.map(Double.init)
        case .syscalls: activity.syscalls.map(Double.init)
        case .faults: activity.userFaults.map(Double.init)
        case .disk: diskBytesPerSecond
        case .net: netBytesPerSecond
        case .user, .command: nil
        }
    }

    /// The text a text column sorts and filters by.
    func text(_ column: TopColumn) -> String {
        switch column {
        case .user: activity.user ?? activity.uid.map { String($0) } ?? "?"
        // A live row without a name ran in the window but was gone when the reply was built.
        case .command: activity.command.flatMap { $0.isEmpty ? nil : $0 } ?? activity.comm ?? "(gone)"
        default: figure(column).map { String($0) } ?? ""
        }
    }
}
