/// Swift mirror of `struct disk_device_counters` in bpf/disk_metrics.h: one device's totals since
/// load. A test compares its size with the C struct's.
struct DiskDeviceCounters: BitwiseCopyable, Equatable, CumulativeCounters {
    var readRequests: UInt64 = 0
    var writeRequests: UInt64 = 0
    /// Flush, discard, write-zeroes and the like.
    var otherRequests: UInt64 = 0
    var readBytes: UInt64 = 0
    var writeBytes: UInt64 = 0
    /// Issue-to-completion latency per request.
    var latency = Log2HistogramSlots()

    func subtracting(_ earlier: DiskDeviceCounters) -> DiskDeviceCounters {
        DiskDeviceCounters(
            readRequests: readRequests.sinceRestartable(earlier.readRequests),
            writeRequests: writeRequests.sinceRestartable(earlier.writeRequests),
            otherRequests: otherRequests.sinceRestartable(earlier.otherRequests),
            readBytes: readBytes.sinceRestartable(earlier.readBytes),
            writeBytes: writeBytes.sinceRestartable(earlier.writeBytes),
            latency: latency.subtracting(earlier.latency)
        )
    }
}
