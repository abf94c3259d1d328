import SmoothTaskModel

/// The machine-wide /proc files of one collection, each read once at its start and handed to every
/// reader that needs it: /proc/stat to the CPU area's /proc side and to ``SystemActivityReader``
/// (which the overhead budget's rates then take it from), the PSI files to the memory area and to
/// the exposition's counters.
///
/// Each reader used to read and parse its own copy; /proc/stat's `intr` line alone is a visible
/// share of an idle tick, so two reads were two visible shares for the same figures.
struct ProcfsTick: Sendable {
    /// The CPU lines of /proc/stat, or why it could not be read.
    var stat: Result<ProcStat, ProcfsError>
    /// The other counters of the same read of /proc/stat.
    var activity: Result<ProcStatActivity, ProcfsError>
    /// CLOCK_MONOTONIC nanoseconds right after /proc/stat was read: the rates divide by the time
    /// between the reads themselves, not between collection starts.
    var statNanoseconds: UInt64
    /// /proc/pressure/memory for the `memory` details; `nil` without PSI.
    var memoryPressure: MemoryPressure?
    /// The stall totals of every PSI file that reads, for the exposition's counters.
    var pressureTotals: [CounterReadings.Pressure]

    /// Reads every file now.
    static func read() -> ProcfsTick {
        let text = ProcFile.contents(of: ProcStat.path)
        let now = Clock.monotonicNanoseconds()
        let stat = text.flatMap(ProcStat.parsed)
        let activity = stat.flatMap { stat in text.map { ProcStatActivity(parsing: $0, cpuLines: stat) } }
        var memoryPressure: MemoryPressure?
        var totals: [CounterReadings.Pressure] = []
        for resource in PressureTotals.resources {
            guard case .success(let text) = ProcFile.contents(of: PressureTotals.path(of: resource)) else { continue }
            let lines = ProcPressure.fields(of: text)
            if let total = PressureTotals.parse(lines, resource: resource) { totals.append(total) }
            if resource == "memory" { memoryPressure = ProcPressure.parse(lines) }
        }
        return ProcfsTick(
            stat: stat, activity: activity, statNanoseconds: now, memoryPressure: memoryPressure, pressureTotals: totals
        )
    }
}
