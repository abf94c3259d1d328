import SmoothTaskModel

/// Recorded collections as one OpenMetrics text: each family once, its samples in time order with
/// their timestamps (seconds), as `promtool tsdb create-blocks-from openmetrics` reads it. The
/// families and units are the live endpoint's (docs/metrics.md), system-wide only.
struct OpenMetricsHistory {
    private struct Family {
        let name: String
        let type: String
        let unit: String?
        let help: String
        var lines: [String] = []
    }

    private var families: [Family] = [
        Family(name: "smoothtask_cpu_usage_ratio", type: "gauge", unit: "ratio", help: "Share of all CPUs busy over the collection window, 0 to 1."),
        Family(name: "smoothtask_cpu_core_usage_ratio", type: "gauge", unit: "ratio", help: "Share of each CPU busy over the collection window, 0 to 1."),
        Family(name: "smoothtask_memory_used_bytes", type: "gauge", unit: "bytes", help: "Memory in use system-wide: MemTotal - MemAvailable."),
        Family(name: "smoothtask_memory_total_bytes", type: "gauge", unit: "bytes", help: "Memory installed: MemTotal."),
        Family(name: "smoothtask_syscalls", type: "counter", unit: nil, help: "Syscalls that returned system-wide while the syscall program was attached."),
        Family(name: "smoothtask_collection_window_seconds", type: "gauge", unit: "seconds", help: "Time each collection's rates and ratios cover."),
    ]

    /// Adds one collection's samples.
    mutating func add(_ metrics: EbpfMetrics) {
        let time = String(printf: "%.3f", Double(metrics.timestamp) / 1000)
        func sample(_ family: Int, _ value: Double?, labels: String = "", suffix: String = "") {
            guard let value else { return }
            families[family].lines.append("\(families[family].name)\(suffix)\(labels) \(value) \(time)")
        }
        sample(0, metrics.cpuUsage.map { $0 / 100 })
        for (cpu, busy) in (metrics.cpuPerCore ?? []).enumerated() { sample(1, busy / 100, labels: "{cpu=\"\(cpu)\"}") }
        sample(2, metrics.memoryUsage.map(Double.init))
        sample(3, metrics.memoryTotal.map(Double.init))
        sample(4, metrics.syscallCount.map(Double.init), suffix: "_total")
        sample(5, Double(metrics.windowMilliseconds) / 1000)
    }

    /// The whole exposition, ending with `# EOF`.
    var text: String {
        var out = ""
        for family in families where !family.lines.isEmpty {
            out += "# TYPE \(family.name) \(family.type)\n"
            if let unit = family.unit { out += "# UNIT \(family.name) \(unit)\n" }
            out += "# HELP \(family.name) \(family.help)\n"
            // Series by series: a family's samples of one label set must be contiguous and in time order.
            var bySeries: [String: [String]] = [:]
            var order: [String] = []
            for line in family.lines {
                let series = String(line.prefix { $0 != " " })
                if bySeries[series] == nil { order.append(series) }
                bySeries[series, default: []].append(line)
            }
            for series in order { out += bySeries[series, default: []].joined(separator: "\n") + "\n" }
        }
        return out + "# EOF\n"
    }
}
