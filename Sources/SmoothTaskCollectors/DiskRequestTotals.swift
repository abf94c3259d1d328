/// One device's request and byte counters, cumulative or over a window.
struct DiskRequestTotals: Sendable, Equatable {
    /// Read requests completed.
    var readRequests: UInt64
    /// Write requests completed.
    var writeRequests: UInt64
    /// Discards and flushes: how /proc/diskstats groups them (the disk program's own map also puts
    /// write-zeroes here, which /proc/diskstats counts as writes).
    var otherRequests: UInt64
    /// Bytes read.
    var readBytes: UInt64
    /// Bytes written.
    var writeBytes: UInt64

    /// The counts of the disk program's own map, where /proc/diskstats has no such device.
    init(_ counters: DiskDeviceCounters) {
        self.init(
            readRequests: counters.read_requests, writeRequests: counters.write_requests,
            otherRequests: counters.other_requests, readBytes: counters.read_bytes, writeBytes: counters.write_bytes
        )
    }

    init(readRequests: UInt64, writeRequests: UInt64, otherRequests: UInt64, readBytes: UInt64, writeBytes: UInt64) {
        self.readRequests = readRequests
        self.writeRequests = writeRequests
        self.otherRequests = otherRequests
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }

    /// What grew since `earlier`; a counter that went down (the device was replaced) counts from 0.
    func subtracting(_ earlier: DiskRequestTotals) -> DiskRequestTotals {
        DiskRequestTotals(
            readRequests: readRequests.sinceRestartable(earlier.readRequests),
            writeRequests: writeRequests.sinceRestartable(earlier.writeRequests),
            otherRequests: otherRequests.sinceRestartable(earlier.otherRequests),
            readBytes: readBytes.sinceRestartable(earlier.readBytes),
            writeBytes: writeBytes.sinceRestartable(earlier.writeBytes)
        )
    }
}
