/// System memory from /proc/meminfo.
public struct ProcMeminfo: Sendable, Equatable {
    /// Where the kernel publishes it.
    public static let path = "/proc/meminfo"

    /// Bytes of usable RAM (MemTotal).
    public var totalBytes: UInt64
    /// Bytes available to new work without swapping (MemAvailable, Linux 3.14 and newer).
    public var availableBytes: UInt64

    /// Bytes in use: MemTotal - MemAvailable.
    public var usedBytes: UInt64 { totalBytes - min(availableBytes, totalBytes) }

    /// Parses the text of /proc/meminfo; `nil` without MemTotal or MemAvailable.
    public init?(parsing text: String) {
        var kibibytes: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, fields[0] == "MemTotal:" || fields[0] == "MemAvailable:" else { continue }
            kibibytes[fields[0]] = UInt64(fields[1])
        }
        guard let total = kibibytes["MemTotal:"], let available = kibibytes["MemAvailable:"] else { return nil }
        totalBytes = total * 1024
        availableBytes = available * 1024
    }

    /// Reads and parses /proc/meminfo now.
    public static func read() throws(ProcfsError) -> ProcMeminfo {
        let text = try ProcFile.contents(of: path).get()
        guard let meminfo = ProcMeminfo(parsing: text) else {
            throw ProcfsError(path: path, detail: "no MemTotal or MemAvailable line")
        }
        return meminfo
    }
}
