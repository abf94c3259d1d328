/// What `processes.exited` orders processes by, largest (or newest) first: a lifetime total, the
/// lifetime itself, or the exit time.
public enum ExitedProcessSort: String, Codable, Sendable, CaseIterable {
    /// Newest exit first.
    case exitTime = "exit_time"
    /// Longest-lived first.
    case lifetime
    /// Total CPU time.
    case cpu
    /// Total syscalls.
    case syscalls
    /// Total user-mode page faults.
    case faults
    /// Total time stalled in reclaim.
    case reclaim
    /// Total bytes read from and written to disk.
    case diskRead = "disk_read"
    case diskWrite = "disk_write"
    /// Total bytes sent and received on IPv4/IPv6 sockets.
    case netSent = "net_sent"
    case netReceived = "net_received"
}
