/// System memory from /proc/meminfo.
public struct ProcMeminfo: Sendable, Equatable {
    /// Where the kernel publishes it.
    public static let path = "/proc/meminfo"

    /// Bytes of usable RAM (MemTotal).
    public var totalBytes: UInt64
    /// Bytes available to new work without swapping (MemAvailable, Linux 3.14 and newer).
    public var availableBytes: UInt64
    /// Bytes entirely unused (MemFree).
    public var freeBytes: UInt64
    /// Bytes of swap configured (SwapTotal); 0 without swap.
    public var swapTotalBytes: UInt64
    /// Bytes of swap unused (SwapFree).
    public var swapFreeBytes: UInt64

    private static let fields: Set<Substring> = ["MemTotal:", "MemAvailable:", "MemFree:", "SwapTotal:", "SwapFree:"]

    /// Bytes in use: MemTotal - MemAvailable.
    public var usedBytes: UInt64 { totalBytes - min(availableBytes, totalBytes) }

    /// Parses the text of /proc/meminfo; `nil` without MemTotal or MemAvailable.
    public init?(parsing text: String) {
        var kibibytes: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, Self.fields.contains(fields[0]) else { continue }
            kibibytes[fields[0]] = UInt64(fields[1])
        }
        guard let total = kibibytes["MemTotal:"], let available = kibibytes["MemAvailable:"] else { return nil }
        totalBytes = total * 1024
        availableBytes = available * 1024
        freeBytes = (kibibytes["MemFree:"] ?? 0) * 1024
        swapTotalBytes = (kibibytes["SwapTotal:"] ?? 0) * 1024
        swapFreeBytes = (kibibytes["SwapFree:"] ?? 0) * 1024
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
