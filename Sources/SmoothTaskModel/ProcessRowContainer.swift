/// A value that holds ``ProcessRow``s, directly or in its parts, and can drop the ones a caller
/// may not see.
///
/// The daemon sends a container to a caller only after ``keepingRows(where:)``; a new list of rows
/// must be filtered there too (a test walks a full snapshot by reflection to check none is left out).
public protocol ProcessRowContainer: Sendable {
    /// This value with only the rows `isKept` allows, at every depth; everything else, system
    /// totals included, unchanged. Counts that describe the rows (such as ``ProcessTop/matched``)
    /// count only the rows kept.
    func keepingRows(where isKept: (any ProcessRow) -> Bool) -> Self
}

extension Array: ProcessRowContainer where Element: ProcessRow {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> [Element] {
        filter { isKept($0) }
    }
}

extension Optional: ProcessRowContainer where Wrapped: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> Wrapped? {
        map { $0.keepingRows(where: isKept) }
    }
}

extension EbpfMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> EbpfMetrics {
        var kept = self
        kept.topProcesses = topProcesses.keepingRows(where: isKept)
        kept.syscalls = syscalls.keepingRows(where: isKept)
        kept.memory = memory.keepingRows(where: isKept)
        kept.schedLatency = schedLatency.keepingRows(where: isKept)
        kept.disk = disk.keepingRows(where: isKept)
        kept.network = network.keepingRows(where: isKept)
        return kept
    }
}

extension SyscallMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> SyscallMetrics {
        var kept = self
        kept.topProcesses = topProcesses.keepingRows(where: isKept)
        return kept
    }
}

extension MemoryMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> MemoryMetrics {
        var kept = self
        kept.events = events.keepingRows(where: isKept)
        return kept
    }
}

extension MemoryEventMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> MemoryEventMetrics {
        var kept = self
        kept.topFaulting = topFaulting.keepingRows(where: isKept)
        kept.recentOOMKills = recentOOMKills.keepingRows(where: isKept)
        return kept
    }
}

extension SchedLatencyMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> SchedLatencyMetrics {
        var kept = self
        kept.topProcesses = topProcesses.keepingRows(where: isKept)
        return kept
    }
}

extension DiskMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> DiskMetrics {
        var kept = self
        kept.topProcesses = topProcesses.keepingRows(where: isKept)
        return kept
    }
}

extension NetworkMetrics: ProcessRowContainer {
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> NetworkMetrics {
        var kept = self
        kept.topProcesses = topProcesses.keepingRows(where: isKept)
        return kept
    }
}

extension ExitedProcesses: ProcessRowContainer {
    /// As ``ProcessTop``: ``matched`` loses the rows dropped.
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> ExitedProcesses {
        var kept = self
        kept.processes = processes.keepingRows(where: isKept)
        kept.matched = matched - (processes.count - kept.processes.count)
        return kept
    }
}

extension ProcessTop: ProcessRowContainer {
    /// ``matched`` loses the rows dropped, so the count does not reveal them either; rows the limit
    /// cut off are not known here, so filter before the limit when the caller can (as `processes.top` does).
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> ProcessTop {
        var kept = self
        kept.processes = processes.keepingRows(where: isKept)
        kept.matched = matched - (processes.count - kept.processes.count)
        return kept
    }
}

extension DaemonStatus: ProcessRowContainer {
    /// The daemon's own ``pid`` stays: every client learns it from `SO_PEERCRED` on its connection.
    public func keepingRows(where isKept: (any ProcessRow) -> Bool) -> DaemonStatus {
        var kept = self
        kept.metrics = metrics.keepingRows(where: isKept)
        return kept
    }
}
