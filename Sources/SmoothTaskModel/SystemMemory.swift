/// System-wide memory as the kernel reports it in /proc/meminfo (and PSI in /proc/pressure/memory):
/// procfs figures, not eBPF ones.
public struct SystemMemory: Codable, Sendable, Equatable {
    /// Always `procfs`: where these figures come from.
    public var source: MetricSource
    /// MemTotal, bytes.
    public var totalBytes: UInt64
    /// MemAvailable, bytes: what new work can get without swapping.
    public var availableBytes: UInt64
    /// MemFree, bytes: entirely unused.
    public var freeBytes: UInt64
    /// SwapTotal, bytes (0 without swap).
    public var swapTotalBytes: UInt64
    /// SwapFree, bytes.
    public var swapFreeBytes: UInt64
    /// Memory pressure stall information; `nil` when the kernel has no PSI (CONFIG_PSI off or `psi=0`).
    public var pressure: MemoryPressure?

    /// Creates system figures.
    public init(
        totalBytes: UInt64, availableBytes: UInt64, freeBytes: UInt64, swapTotalBytes: UInt64, swapFreeBytes: UInt64,
        pressure: MemoryPressure?
    ) {
        self.source = .procfs
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.freeBytes = freeBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapFreeBytes = swapFreeBytes
        self.pressure = pressure
    }

    enum CodingKeys: String, CodingKey {
        case source, pressure
        case totalBytes = "total_bytes"
        case availableBytes = "available_bytes"
        case freeBytes = "free_bytes"
        case swapTotalBytes = "swap_total_bytes"
        case swapFreeBytes = "swap_free_bytes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(totalBytes, forKey: .totalBytes)
        try container.encode(availableBytes, forKey: .availableBytes)
        try container.encode(freeBytes, forKey: .freeBytes)
        try container.encode(swapTotalBytes, forKey: .swapTotalBytes)
        try container.encode(swapFreeBytes, forKey: .swapFreeBytes)
        try container.encode(pressure, forKey: .pressure)
    }
}
