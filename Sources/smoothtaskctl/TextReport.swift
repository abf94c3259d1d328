import SmoothTaskModel

/// The human views of daemon results; `--json` prints the same data unrendered.
enum TextReport {
    static func status(_ status: DaemonStatus) -> String {
        let interval = CollectionInterval.format(milliseconds: status.config.collectionIntervalMilliseconds)
        var lines = [
            "smoothtaskd \(status.version) (pid \(status.pid), up \(duration(seconds: status.uptimeSeconds)), protocol v\(status.protocolVersion))",
            "eBPF:       \(ebpf(status.ebpf))",
        ]
        lines += status.ebpf.programs.map { program in
            let state = program.attached ? "attached" : "not attached: \(program.detail ?? "unknown reason")"
            return "  \(program.name.column(17)) \(program.hook): \(state)"
        }
        lines.append("Interval:   \(interval)")
        if let configError = status.configError { lines.append("Config:     file refused, serving the defaults: \(configError)") }
        if let overhead = status.overhead {
            lines.append("Overhead:   " + OverheadReport.summary(overhead))
            if let budget = overhead.budget { lines += OverheadReport.budgetLines(budget) }
        }
        if let exited = status.exitedProcesses { lines.append("Exited:     " + exitedList(exited)) }
        lines.append(metrics(status.metrics))
        return lines.joined(separator: "\n")
    }

    static func metrics(_ metrics: EbpfMetrics) -> String {
        self.metrics(metrics, groups: MetricGroup.allCases)
    }

    /// The lines of `groups` only, as `watch --groups` shows them.
    static func metrics(_ metrics: EbpfMetrics, groups: [MetricGroup]) -> String {
        var lines: [String] = []
        if groups.contains(.cpu) { lines.append("CPU:        " + cpu(metrics)); lines += systemLines(metrics) }
        if groups.contains(.memory) { lines.append("Memory:     " + memory(metrics)); lines += memoryDetails(metrics) }
        if groups.contains(.syscalls) { lines.append("Syscalls:   " + syscalls(metrics)); lines += syscallDetails(metrics) }
        if groups.contains(.schedLatency) { lines.append("Run queue:  " + schedLatencyLine(metrics)) }
        if groups.contains(.disk) { lines.append("Disk:       " + diskLine(metrics)) }
        if groups.contains(.network) { lines.append("Network:    " + networkLine(metrics)) }
        if groups.contains(.processes), let top = metrics.topProcesses {
            lines.append("Top processes by CPU (last \(window(metrics.windowMilliseconds)); CPU% of one CPU):")
            lines.append("      PID   CPU%  COMMAND")
            lines += top.map { process in
                "  \(pad(String(process.pid), 7)) \(pad(String(printf: "%5.1f", process.cpuPercent), 6))  \(process.comm ?? "(exited)")"
            }
        }
        return lines.joined(separator: "\n")
    }

    static func config(_ config: EbpfConfig) -> String {
        // Every switch from the one table, so a new area shows up here without an edit.
        (MetricSwitch.allCases.map { "\($0.configKey.column(27))\(config[$0])" } + [
            "collection_interval_ms     \(config.collectionIntervalMilliseconds) (\(CollectionInterval.format(milliseconds: config.collectionIntervalMilliseconds)))",
            "prometheus_listen          \(config.prometheusListen ?? "null (off)")",
            "prometheus_cgroup_limit    \(config.prometheusCgroupLimit)",
            "max_overhead_percent       \(config.maxOverheadPercent == 0 ? "0 (no limit)" : "\(config.maxOverheadPercent)% of one CPU")",
        ]).joined(separator: "\n")
    }

    private static func ebpf(_ state: EbpfState) -> String {
        let support = state.support
        if support.supported { return "active (kernel \(support.kernelRelease))" }
        var text = "off, serving from /proc: \(support.reason ?? "unknown reason")"
        if let remedy = support.remedy { text += "\n            fix: \(remedy)" }
        return text
    }

    private static func cpu(_ metrics: EbpfMetrics) -> String {
        guard let usage = metrics.cpuUsage else { return missing(metrics, EbpfMetrics.Name.cpu) }
        var text = String(printf: "%5.1f%% busy", usage)
        if let cores = metrics.cpuPerCore {
            text += " (of all \(cores.count) CPUs)  [" + cores.enumerated().map { "cpu\($0.offset) " + String(printf: "%.1f%%", $0.element) }.joined(separator: "  ") + "]"
        }
        return text + source(metrics, EbpfMetrics.Name.cpu)
    }

    private static func memory(_ metrics: EbpfMetrics) -> String {
        guard let used = metrics.memoryUsage else { return missing(metrics, EbpfMetrics.Name.memory) }
        var text = bytes(used) + " used"
        if let total = metrics.memoryTotal, total > 0 {
            text += " of \(bytes(total)) (" + String(printf: "%.1f%%", Double(used) / Double(total) * 100) + ")"
        }
        return text + source(metrics, EbpfMetrics.Name.memory)
    }

    private static func syscalls(_ metrics: EbpfMetrics) -> String {
        guard let count = metrics.syscallCount else { return missing(metrics, EbpfMetrics.Name.syscalls) }
        let rate = metrics.syscallRate.map { grouped(UInt64($0.rounded())) + "/s, " } ?? ""
        return rate + grouped(count) + " since attach" + source(metrics, EbpfMetrics.Name.syscalls)
    }

    /// Every "last ..." label of a measured window, in one form: `last 1s`, not `last 999ms`.
    static func window(_ milliseconds: Int64) -> String {
        CollectionInterval.formatWindow(milliseconds: milliseconds)
    }

    static func missing(_ metrics: EbpfMetrics, _ name: String) -> String {
        "n/a (\(metrics.unavailable[name] ?? metrics.sources[name]?.rawValue ?? "not reported"))"
    }

    static func source(_ metrics: EbpfMetrics, _ name: String) -> String {
        metrics.sources[name].map { "  (\($0.rawValue))" } ?? ""
    }

    static func bytes(_ count: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(printf: "%.1f ", value) + units[unit]
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        return digits.enumerated().map { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : "\(digit)"
        }.joined()
    }

    private static func duration(seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(total % 60)s" }
        return "\(total / 3600)h\(total % 3600 / 60)m"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
