/// Block I/O over one collection window. `EbpfMetrics.disk` on the wire.
public struct DiskMetrics: Codable, Sendable, Equatable {
    /// Every whole disk (including loop and device-mapper devices) that did I/O since the program
    /// was loaded, by name; counts cover the window.
    public var devices: [DiskDeviceIO]
    /// Issue-to-completion latency of every request completed in the window, all devices together.
    public var latency: LatencyHistogram
    /// The processes that moved the most bytes, busiest first (at most ``topProcessLimit``).
    public var topProcesses: [ProcessDiskIO]

    /// How many processes ``topProcesses`` holds at most.
    public static let topProcessLimit = 5

    /// Creates a window's block I/O.
    public init(devices: [DiskDeviceIO], latency: LatencyHistogram, topProcesses: [ProcessDiskIO]) {
        self.devices = devices
        self.latency = latency
        self.topProcesses = topProcesses
    }

    enum CodingKeys: String, CodingKey {
        case devices, latency
        case topProcesses = "top_processes"
    }
}
