/// What `processes.top` orders processes by, largest first.
public enum ProcessTopSort: String, Codable, Sendable, CaseIterable {
    /// CPU time over the last interval (cpu_metrics).
    case cpu
    /// Syscalls over the last interval (syscalls).
    case syscalls
    /// User-mode page faults over the last interval (memory_events).
    case faults
    /// Time stalled in memory reclaim over the last interval (memory_events).
    case reclaim

    /// The configuration switch whose program measures this column.
    public var switchName: String {
        switch self {
        case .cpu: "enable_cpu_metrics"
        case .syscalls: "enable_syscall_monitoring"
        case .faults, .reclaim: "enable_memory_metrics"
        }
    }
}
