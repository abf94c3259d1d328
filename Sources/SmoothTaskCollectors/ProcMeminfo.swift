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

    /// Bytes in use: MemTotal - MemAvailable.
    public var usedBytes: UInt64 { totalBytes - min(availableBytes, totalBytes) }

    /// Parses the text of /proc/meminfo; `nil` without MemTotal or MemAvailable.
    public init?(parsing text: String) {
        func kibibytes(_ field: String) -> UInt64? { ProcFile.number(after: field, in: text) }
        guard let total = kibibytes("MemTotal:"), let available = kibibytes("MemAvailable:") else { return nil }
        totalBytes = total * 1024
        availableBytes = available * 1024
        freeBytes = (kibibytes("MemFree:") ?? 0) * 1024
        swapTotalBytes = (kibibytes("SwapTotal:") ?? 0) * 1024
        swapFreeBytes = (kibibytes("SwapFree:") ?? 0) * 1024
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
