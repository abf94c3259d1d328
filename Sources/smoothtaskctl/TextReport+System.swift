import SmoothTaskModel

/// The vmstat/pmstat basics under the CPU line of `status` and `watch`, each line naming its source.
extension TextReport {
    /// `  split:    user 12.5% nice 0.0% ...  (procfs)`, then load and tasks, then switches and
    /// interrupts; a line whose figures are missing says why.
    static func systemLines(_ metrics: EbpfMetrics) -> [String] {
        guard let system = metrics.system else { return [] }
        typealias Name = SystemActivity.Name
        func source(_ name: String) -> String { system.sources[name].map { "  (\($0.rawValue))" } ?? "" }
        func missing(_ name: String) -> String { "n/a (\(system.unavailable[name] ?? "not reported"))" }
        var lines: [String] = []
        let split = system.cpuTime.map { split in
            split.states.map { "\($0.name) " + String(printf: "%.1f%%", $0.percent) }.joined(separator: " ") + " of all CPUs"
        }
        lines.append("  split:    " + (split ?? missing(Name.cpuTime)) + source(Name.cpuTime))
        let load = system.loadAverage.map { String(printf: "%.2f %.2f %.2f (1/5/15 min)", $0.oneMinute, $0.fiveMinutes, $0.fifteenMinutes) }
        lines.append("  load:     " + (load ?? missing(Name.loadAverage)) + source(Name.loadAverage))
        let tasks = [
            system.runnableTasks.map { "\(grouped($0)) runnable" } ?? "runnable " + missing(Name.runnableTasks),
            system.blockedTasks.map { "\(grouped($0)) blocked (uninterruptible)" } ?? "blocked " + missing(Name.blockedTasks),
        ]
        lines.append("  tasks:    " + tasks.joined(separator: ", ") + source(Name.runnableTasks))
        // One source at the end when both rates share it (they do today: /proc/stat), else one each.
        let shared = source(Name.contextSwitches) == source(Name.interrupts)
        let rates = [
            (system.contextSwitchesPerSecond.map { "\(grouped(UInt64($0.rounded())))/s context" } ?? "context " + missing(Name.contextSwitches))
                + (shared ? "" : source(Name.contextSwitches)),
            (system.interruptsPerSecond.map { "\(grouped(UInt64($0.rounded())))/s interrupts" } ?? "interrupts " + missing(Name.interrupts))
                + source(Name.interrupts),
        ]
        lines.append("  switches: " + rates.joined(separator: ", "))
        return lines
    }
}
