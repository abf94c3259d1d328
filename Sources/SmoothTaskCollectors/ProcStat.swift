/// The CPU lines of /proc/stat: the fallback CPU source when eBPF is unusable, and the ground truth
/// tests compare the eBPF figures with.
public struct ProcStat: Sendable, Equatable {
    /// Where the kernel publishes it.
    public static let path = "/proc/stat"

    /// All CPUs together (the `cpu` line).
    public var total: CPUTicks
    /// Each online CPU (`cpuN` lines), keyed by CPU number; offline CPUs are absent.
    public var perCPU: [Int: CPUTicks]

    /// Parses the text of /proc/stat; `nil` if it has no `cpu` line.
    public init?(parsing text: String) {
        var total: CPUTicks?
        var perCPU: [Int: CPUTicks] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") {
            let fields = line.split(separator: " ")
            let values = fields.dropFirst().compactMap { UInt64($0) }
            guard values.count >= 8 else { continue }
            let ticks = CPUTicks(
                user: values[0], nice: values[1], system: values[2], idle: values[3],
                iowait: values[4], irq: values[5], softirq: values[6], steal: values[7]
            )
            if fields[0] == "cpu" {
                total = ticks
            } else if let cpu = Int(fields[0].dropFirst(3)) {
                perCPU[cpu] = ticks
            }
        }
        guard let total else { return nil }
        self.total = total
        self.perCPU = perCPU
    }

    /// Reads and parses /proc/stat now.
    public static func read() throws(ProcfsError) -> ProcStat {
        try ProcFile.contents(of: path).flatMap(parsed).get()
    }

    /// The text of /proc/stat parsed, or the error that says it has no `cpu` line.
    static func parsed(_ text: String) -> Result<ProcStat, ProcfsError> {
        ProcStat(parsing: text).map { .success($0) } ?? .failure(ProcfsError(path: path, detail: "no cpu line"))
    }

    /// Percent busy of each CPU between `earlier` and this reading, indexed by CPU number; a CPU
    /// offline in either reading reads 0.
    public func perCPUBusyPercent(since earlier: ProcStat) -> [Double] {
        guard let highest = perCPU.keys.max() else { return [] }
        return (0...highest).map { cpu in
            guard let now = perCPU[cpu], let then = earlier.perCPU[cpu] else { return 0 }
            return now.busyPercent(since: then) ?? 0
        }
    }
}
