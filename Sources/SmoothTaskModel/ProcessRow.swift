/// A row about one process: what the daemon's visibility step looks at before any reply carries it.
///
/// Every per-process row type conforms, and every value holding such rows is a
/// ``ProcessRowContainer``, so one predicate decides for all of them which rows a caller may see.
public protocol ProcessRow: Sendable {
    /// Process id (the kernel's tgid).
    var pid: Int32 { get }
    /// The owner's uid as the row recorded it, or `nil` when the row does not carry one: the owner is
    /// then whoever owns /proc/PID now (and nobody once the process is gone).
    var recordedOwnerUID: UInt32? { get }
}

extension ProcessRow {
    /// Most rows carry no owner: it is looked up from /proc/PID when needed.
    public var recordedOwnerUID: UInt32? { nil }
}

extension ProcessCPUUsage: ProcessRow {}
extension ProcessEventCount: ProcessRow {}
extension ProcessDiskIO: ProcessRow {}
extension ProcessNetworkIO: ProcessRow {}
extension ProcessSchedLatency: ProcessRow {}

extension ProcessActivity: ProcessRow {
    /// The owner of /proc/PID when the row was read.
    public var recordedOwnerUID: UInt32? { uid }
}

extension OOMKill: ProcessRow {
    /// The victim's uid as the kernel reported it: the process is gone, so /proc cannot tell.
    public var recordedOwnerUID: UInt32? { uid }
}
