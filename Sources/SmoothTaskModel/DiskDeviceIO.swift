/// One block device's I/O over a collection window.
public struct DiskDeviceIO: Codable, Sendable, Equatable {
    /// The kernel's name for the disk, e.g. `vda` or `loop0` (from /sys/dev/block), or `MAJ:MIN`
    /// once the device is gone.
    public var name: String
    /// Device major number.
    public var major: UInt32
    /// Device minor number of the whole disk.
    public var minor: UInt32
    /// Read requests completed.
    public var readRequests: UInt64
    /// Write requests completed.
    public var writeRequests: UInt64
    /// Other requests completed: flush, discard, write-zeroes and the like.
    public var otherRequests: UInt64
    /// Bytes read.
    public var readBytes: UInt64
    /// Bytes written.
    public var writeBytes: UInt64
    /// Issue-to-completion latency of the requests completed.
    public var latency: LatencyHistogram

    /// Creates a device's figures.
    public init(
        name: String, major: UInt32, minor: UInt32, readRequests: UInt64, writeRequests: UInt64,
        otherRequests: UInt64, readBytes: UInt64, writeBytes: UInt64, latency: LatencyHistogram
    ) {
        self.name = name
        self.major = major
        self.minor = minor
        self.readRequests = readRequests
        self.writeRequests = writeRequests
        self.otherRequests = otherRequests
        self.readBytes = readBytes
        self.writeBytes = writeBytes
        self.latency = latency
    }

    enum CodingKeys: String, CodingKey {
        case name, major, minor, latency
        case readRequests = "read_requests"
        case writeRequests = "write_requests"
        case otherRequests = "other_requests"
        case readBytes = "read_bytes"
        case writeBytes = "write_bytes"
    }
}
