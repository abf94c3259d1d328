import SmoothTaskModel

extension TextReport {
    /// How many syscalls and processes the text view names; `--json` has the full lists.
    static let detailRows = 3

    /// Lines for the syscall details, saying why when missing.
    static func syscallDetails(_ metrics: EbpfMetrics) -> [String] {
        var lines: [String] = []
        if let syscalls = metrics.syscalls {
            let top = syscalls.topSyscalls.prefix(detailRows).map { "\($0.name ?? "#\($0.id)") \(grouped($0.count))" }
            let failures = syscalls.topFailures.prefix(detailRows).map {
                "\($0.name ?? "#\($0.id)") \($0.errnoName ?? "errno \($0.errno)") \(grouped($0.count))"
            }
            lines.append("  top:      " + (top.isEmpty ? "none" : top.joined(separator: ", ")))
            lines.append("  failed:   \(grouped(UInt64(syscalls.failureRatePerSecond.rounded())))/s"
                + (failures.isEmpty ? "" : "  [" + failures.joined(separator: ", ") + "]"))
            if syscalls.mapFull > 0 { lines.append("  map full: \(grouped(syscalls.mapFull)) inserts refused since load") }
        } else if let reason = metrics.unavailable[EbpfMetrics.Name.syscallDetails] {
            lines.append("  details:  n/a (\(reason))")
        }
        return lines
    }

    /// Lines for the memory details, saying why when missing.
    static func memoryDetails(_ metrics: EbpfMetrics) -> [String] {
        var lines: [String] = []
        guard let memory = metrics.memory else {
            if let reason = metrics.unavailable[EbpfMetrics.Name.memoryDetails] { lines.append("Memory details: n/a (\(reason))") }
            return lines
        }
        if let system = memory.system {
            var text = "  system:   \(bytes(system.availableBytes)) available, swap \(bytes(system.swapTotalBytes - min(system.swapFreeBytes, system.swapTotalBytes))) used of \(bytes(system.swapTotalBytes))"
            if let pressure = system.pressure {
                text += String(printf: ", PSI some %.2f%% full %.2f%% (avg10)", pressure.someAvg10, pressure.fullAvg10)
            }
            lines.append(text + "  (procfs)")
        }
        if let events = memory.events {
            lines.append("  faults:   \(grouped(UInt64(events.userFaultRatePerSecond.rounded())))/s user-mode page faults  (ebpf)")
            lines.append(
                "  reclaim:  \(grouped(events.reclaimStalls)) stalls, "
                    + String(printf: "%.1f", Double(events.reclaimStallNanoseconds) / 1e6)
                    + " ms stalled this interval; OOM kills since attach: \(grouped(events.oomKillsTotal))  (ebpf)"
            )
            if let latest = events.recentOOMKills.first {
                lines.append("  last OOM: pid \(latest.pid) \(latest.comm) (uid \(latest.uid))")
            }
        } else if let reason = memory.unavailable["events"] {
            lines.append("  events:   n/a (\(reason))")
        }
        return lines
    }
}
