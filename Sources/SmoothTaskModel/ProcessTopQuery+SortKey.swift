extension ProcessTopQuery {
    /// What this query orders `row` by: its window (or range) column, or its lifetime total with ``total``.
    public func sortKey(of row: ProcessActivity) -> UInt64 {
        switch (sort, total) {
        case (.cpu, false): row.cpuTimeNanoseconds ?? 0
        case (.syscalls, false): row.syscalls ?? 0
        case (.faults, false): row.userFaults ?? 0
        case (.reclaim, false): row.reclaimStallNanoseconds ?? 0
        case (.cpu, true): row.totals?.cpuTimeNanoseconds ?? 0
        case (.syscalls, true): row.totals?.syscalls ?? 0
        case (.faults, true): row.totals?.userFaults ?? 0
        case (.reclaim, true): row.totals?.reclaimStallNanoseconds ?? 0
        }
    }
}
