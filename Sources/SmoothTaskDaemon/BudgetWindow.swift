/// What the overhead governor evaluates one collection window with: kept by ``DaemonState`` until
/// the governor evaluates it, at that collection or, with no limit set, when a caller reads the report.
struct BudgetWindow: Sendable {
    /// The daemon's share over the window, percent of one CPU: its whole CPU, or its monitoring
    /// work's scaled to the whole when the window served clients (``DaemonState``'s `daemonShare`).
    var daemonPercent: Double
    /// The window `daemonPercent` covers, milliseconds.
    var windowMilliseconds: Int64
    /// Syscalls per second the syscalls object counted in the collection, if attached.
    var syscallRate: Double?
}
