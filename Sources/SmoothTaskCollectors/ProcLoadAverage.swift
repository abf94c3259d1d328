import SmoothTaskModel

/// /proc/loadavg: the 1, 5 and 15 minute load averages.
public enum ProcLoadAverage {
    /// Where the kernel publishes it.
    public static let path = "/proc/loadavg"

    /// Parses `0.52 0.48 0.40 2/311 12345`; `nil` if the first three fields are not numbers.
    public static func parse(_ text: String) -> LoadAverage? {
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else { return nil }
        return LoadAverage(oneMinute: fields[0], fiveMinutes: fields[1], fifteenMinutes: fields[2])
    }

    /// Reads and parses /proc/loadavg now.
    public static func read() throws(ProcfsError) -> LoadAverage {
        let text = try ProcFile.contents(of: path).get()
        guard let load = parse(text) else { throw ProcfsError(path: path, detail: "not three load averages: \(text.prefix(60))") }
        return load
    }
}
