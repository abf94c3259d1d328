import SmoothTaskModel

extension ExitedProcessSort {
    /// Whether `row` comes before `other` in this order: largest (or newest) first, ties by pid.
    func ordersBefore(_ row: ProcessActivity, _ other: ProcessActivity) -> Bool {
        let (mine, theirs) = (key(row), key(other))
        return mine != theirs ? mine > theirs : row.pid < other.pid
    }

    private func key(_ row: ProcessActivity) -> Int64 {
        let totals = row.totals
        let figure: UInt64? =
            switch self {
            case .exitTime: row.exitTimeMilliseconds.map { UInt64(clamping: $0) }
            case .lifetime: row.exitTimeMilliseconds.flatMap { exit in row.startTimeMilliseconds.map { UInt64(clamping: exit - $0) } }
            case .cpu: totals?.cpuTimeNanoseconds
            case .syscalls: totals?.syscalls
            case .faults: totals?.userFaults
            case .reclaim: totals?.reclaimStallNanoseconds
            case .diskRead: totals?.diskReadBytes
            case .diskWrite: totals?.diskWriteBytes
            case .netSent: totals?.netSentBytes
            case .netReceived: totals?.netReceivedBytes
            }
        return Int64(clamping: figure ?? 0)
    }
}
