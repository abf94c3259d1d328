import SmoothTaskModel

/// The stall totals of /proc/pressure/{cpu,memory,io} (PSI, Linux 4.20+ with CONFIG_PSI), as
/// ``ProcfsTick`` read them.
enum PressureTotals {
    /// The resources PSI reports, each a file under /proc/pressure.
    static let resources = ["cpu", "memory", "io"]

    /// Where the kernel publishes `resource`'s stalls.
    static func path(of resource: String) -> String {
        "/proc/pressure/\(resource)"
    }

    /// The `total=` of the `some` line and, if present, of the `full` line.
    static func parse(_ lines: ProcPressure.Lines, resource: String) -> CounterReadings.Pressure? {
        guard let some = lines["some"]?["total"].flatMap({ UInt64($0) }) else { return nil }
        return CounterReadings.Pressure(
            resource: resource, someMicroseconds: some, fullMicroseconds: lines["full"]?["total"].flatMap { UInt64($0) }
        )
    }
}
