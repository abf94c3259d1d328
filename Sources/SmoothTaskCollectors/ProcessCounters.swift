/// Everything the kernel counts for one process (tgid), from every per-process map: what
/// `processes.top` shows per process, as a window (the difference of two readings) or as totals.
struct ProcessCounters: Sendable, Equatable {
    var cpuNanoseconds: UInt64 = 0
    var syscalls: UInt64 = 0
    var failedSyscalls: UInt64 = 0
    var userFaults: UInt64 = 0
    var reclaimStalls: UInt64 = 0
    var reclaimNanoseconds: UInt64 = 0
    var diskReadBytes: UInt64 = 0
    var diskWriteBytes: UInt64 = 0
    var netSentBytes: UInt64 = 0
    var netReceivedBytes: UInt64 = 0
    var netSendCalls: UInt64 = 0
    var netReceiveCalls: UInt64 = 0
    var runQueueWaitNanoseconds: UInt64 = 0


    /// The counts of a process table entry (or of an exit record's).
    init(_ entry: ProcessTableEntry) {
        cpuNanoseconds = entry.cpu_ns
        syscalls = entry.syscalls
        failedSyscalls = entry.failed_syscalls
        userFaults = entry.user_faults
        reclaimStalls = entry.reclaim_stalls
        reclaimNanoseconds = entry.reclaim_ns
        diskReadBytes = entry.disk_read_bytes
        diskWriteBytes = entry.disk_write_bytes
        netSentBytes = entry.net_sent_bytes
        netReceivedBytes = entry.net_received_bytes
        netSendCalls = entry.net_send_calls
        netReceiveCalls = entry.net_receive_calls
        runQueueWaitNanoseconds = entry.run_queue_wait_ns
    }

    init() {}

    /// What was added since `earlier`, field by field; a field smaller than before (an LRU entry
    /// evicted and recreated meanwhile) counts from zero.
    func subtracting(_ earlier: ProcessCounters) -> ProcessCounters {
        combining(earlier) { $0.sinceRestartable($1) }
    }

    /// The sum, field by field.
    func adding(_ other: ProcessCounters) -> ProcessCounters {
        combining(other, &+)
    }

    /// Each field's larger value: two records of one exit (two threads that both saw their process
    /// die) hold the same totals, or one of them the totals and the other what came after.
    func merging(_ other: ProcessCounters) -> ProcessCounters {
        combining(other, max)
    }

    /// True when nothing was counted.
    var isZero: Bool { self == ProcessCounters() }

    /// `operation` applied to each field of `self` and `other`.
    private func combining(_ other: ProcessCounters, _ operation: (UInt64, UInt64) -> UInt64) -> ProcessCounters {
        var result = ProcessCounters()
        result.cpuNanoseconds = operation(cpuNanoseconds, other.cpuNanoseconds)
        result.syscalls = operation(syscalls, other.syscalls)
        result.failedSyscalls = operation(failedSyscalls, other.failedSyscalls)
        result.userFaults = operation(userFaults, other.userFaults)
        result.reclaimStalls = operation(reclaimStalls, other.reclaimStalls)
        result.reclaimNanoseconds = operation(reclaimNanoseconds, other.reclaimNanoseconds)
        result.diskReadBytes = operation(diskReadBytes, other.diskReadBytes)
        result.diskWriteBytes = operation(diskWriteBytes, other.diskWriteBytes)
        result.netSentBytes = operation(netSentBytes, other.netSentBytes)
        result.netReceivedBytes = operation(netReceivedBytes, other.netReceivedBytes)
        result.netSendCalls = operation(netSendCalls, other.netSendCalls)
        result.netReceiveCalls = operation(netReceiveCalls, other.netReceiveCalls)
        result.runQueueWaitNanoseconds = operation(runQueueWaitNanoseconds, other.runQueueWaitNanoseconds)
        return result
    }
}
