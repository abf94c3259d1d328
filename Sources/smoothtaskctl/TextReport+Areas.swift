import SmoothTaskModel

/// The run-queue latency, disk and network views: one status line each, and the detail of
/// `smoothtaskctl latency`, `disk` and `net`.
extension TextReport {
    static func schedLatencyLine(_ metrics: EbpfMetrics) -> String {
        guard let latency = metrics.schedLatency else { return missing(metrics, EbpfMetrics.Name.schedLatency) }
        let histogram = latency.histogram
        return "\(grouped(histogram.count)) waits, " + percentiles(histogram) + source(metrics, EbpfMetrics.Name.schedLatency)
    }

    static func diskLine(_ metrics: EbpfMetrics) -> String {
        guard let disk = metrics.disk else { return missing(metrics, EbpfMetrics.Name.disk) }
        let read = disk.devices.reduce(0) { $0 + $1.readBytes }
        let written = disk.devices.reduce(0) { $0 + $1.writeBytes }
        var text = "read \(bytes(read)), written \(bytes(written)), \(grouped(disk.latency.count)) requests"
        if disk.latency.count > 0 { text += ", " + percentiles(disk.latency) }
        return text + source(metrics, EbpfMetrics.Name.disk)
    }

    static func networkLine(_ metrics: EbpfMetrics) -> String {
        guard let network = metrics.network else { return missing(metrics, EbpfMetrics.Name.network) }
        let received = network.interfaces.reduce(0) { $0 + $1.rxBytes }
        let sent = network.interfaces.reduce(0) { $0 + $1.txBytes }
        return "rx \(bytes(received)), tx \(bytes(sent)), \(network.tcpRetransmits) TCP retransmits"
            + source(metrics, EbpfMetrics.Name.network)
    }

    static func schedLatency(_ metrics: EbpfMetrics) -> String {
        var lines = ["Run-queue latency (last \(window(metrics))): " + schedLatencyLine(metrics)]
        guard let latency = metrics.schedLatency else { return lines.joined(separator: "\n") }
        lines += histogramLines(latency.histogram)
        lines.append("Processes that waited longest:")
        lines.append("      PID  WAITS     TOTAL       P50       P99  COMMAND")
        lines += latency.topProcesses.map { process in
            let histogram = process.histogram
            return "  \(pad(String(process.pid), 7)) \(pad(grouped(histogram.count), 6)) \(pad(nanoseconds(histogram.sumNanoseconds), 9)) "
                + "\(pad(nanoseconds(histogram.percentile(0.5)), 9)) \(pad(nanoseconds(histogram.percentile(0.99)), 9))  \(process.comm ?? "(exited)")"
        }
        return lines.joined(separator: "\n")
    }

    static func disk(_ metrics: EbpfMetrics) -> String {
        var lines = ["Disk I/O (last \(window(metrics))): " + diskLine(metrics)]
        guard let disk = metrics.disk else { return lines.joined(separator: "\n") }
        lines.append("  DEVICE      READS   WRITES    OTHER       READ    WRITTEN       P50       P95       P99")
        lines += disk.devices.map { device in
            "  \(device.name.column(9)) \(pad(grouped(device.readRequests), 7)) "
                + "\(pad(grouped(device.writeRequests), 8)) \(pad(grouped(device.otherRequests), 8)) "
                + "\(pad(bytes(device.readBytes), 10)) \(pad(bytes(device.writeBytes), 10)) "
                + [0.5, 0.95, 0.99].map { pad(nanoseconds(device.latency.percentile($0)), 9) }.joined(separator: " ")
        }
        lines.append("Processes by bytes:")
        lines.append("      PID       READ    WRITTEN  COMMAND")
        lines += disk.topProcesses.map { process in
            "  \(pad(String(process.pid), 7)) \(pad(bytes(process.readBytes), 10)) \(pad(bytes(process.writeBytes), 10))  \(process.comm ?? "(exited)")"
        }
        return lines.joined(separator: "\n")
    }

    static func network(_ metrics: EbpfMetrics) -> String {
        var lines = ["Network (last \(window(metrics))): " + networkLine(metrics)]
        guard let network = metrics.network else { return lines.joined(separator: "\n") }
        lines.append("  INTERFACE   RX BYTES  RX PACKETS    TX BYTES  TX PACKETS")
        lines += network.interfaces.map { interface in
            "  \(interface.name.column(9)) \(pad(bytes(interface.rxBytes), 10)) "
                + "\(pad(grouped(interface.rxPackets), 11)) \(pad(bytes(interface.txBytes), 11)) \(pad(grouped(interface.txPackets), 11))"
        }
        guard let processes = network.topProcesses else {
            lines.append("Processes: n/a (\(metrics.unavailable[EbpfMetrics.Name.network] ?? "not measured on this kernel"))")
            return lines.joined(separator: "\n")
        }
        lines.append("Processes by bytes (IPv4/IPv6 sockets):")
        lines.append("      PID       SENT   RECEIVED  COMMAND")
        lines += processes.map { process in
            "  \(pad(String(process.pid), 7)) \(pad(bytes(process.sentBytes), 10)) \(pad(bytes(process.receivedBytes), 10))  \(process.comm ?? "(exited)")"
        }
        return lines.joined(separator: "\n")
    }

    private static func percentiles(_ histogram: LatencyHistogram) -> String {
        var parts = [("p50", histogram.percentile(0.5)), ("p95", histogram.percentile(0.95)), ("p99", histogram.percentile(0.99))]
            .map { "\($0.0) \(nanoseconds($0.1))" }
        if let max = histogram.maxNanoseconds { parts.append("max \(nanoseconds(max))") }
        return parts.joined(separator: " ")
    }

    /// The non-empty buckets as a bar chart, as runqlat prints them, each row with its bucket's exact
    /// bounds in nanoseconds (powers of two, which no rounded decimal shows exactly).
    static func histogramLines(_ histogram: LatencyHistogram) -> [String] {
        let largest = histogram.slotCounts.max() ?? 0
        guard largest > 0 else { return [] }
        let barWidth = 40
        let rows = histogram.slotCounts.enumerated().filter { $0.element > 0 }.map { slot, count in
            let from = grouped(LatencyHistogram.lowerBound(ofSlot: slot))
            let to = LatencyHistogram.upperBound(ofSlot: slot).map(grouped) ?? "(no limit)"
            let bar = String(repeating: "*", count: max(1, Int(count * UInt64(barWidth) / largest)))
            return "  \(pad(from, 14)) \(pad(to, 14)) \(pad(grouped(count), 9)) |\(bar.column(barWidth))|"
        }
        return ["  \(pad("FROM ns", 14)) \(pad("TO ns", 14)) \(pad("COUNT", 9))  (from <= duration < to)"] + rows
    }

    private static func window(_ metrics: EbpfMetrics) -> String {
        window(metrics.windowMilliseconds)
    }

    /// `812ns`, `3.4µs`, `12.0ms`, `1.50s`; `-` for nothing measured.
    static func nanoseconds(_ value: UInt64?) -> String {
        guard let value else { return "-" }
        let double = Double(value)
        if value < 1_000 { return "\(value)ns" }
        if value < 1_000_000 { return String(printf: "%.1fµs", double / 1e3) }
        if value < 1_000_000_000 { return String(printf: "%.1fms", double / 1e6) }
        return String(printf: "%.2fs", double / 1e9)
    }
}
