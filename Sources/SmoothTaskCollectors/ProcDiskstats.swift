/// The block layer's own request and byte totals per device, from /proc/diskstats: what `iostat`
/// and node_exporter read.
///
/// The disk area takes each device's requests and bytes from here and keeps eBPF for what only it
/// can tell (issue-to-completion latency, the process that submitted the I/O). On Linux 6.18
/// (virtio-blk, mq-deadline) `block_rq_complete` left out 1-5 MiB of a 64 MiB O_DIRECT write in
/// about one write in six, while /proc/diskstats counted every byte: bpftrace on the same tracepoint
/// missed the same requests, and `block_io_start` and `block_bio_queue` saw them all, so the gap is
/// in what the tracepoint reports, not in the program.
struct ProcDiskstats: Sendable, Equatable {
    /// Where the kernel publishes it.
    static let path = "/proc/diskstats"

    /// Totals per device, keyed as the disk program keys them (``BlockDeviceName``'s `dev_t`).
    var devices: [UInt32: DiskRequestTotals]

    /// Parses the text of /proc/diskstats; a line that is not `MAJOR MINOR NAME` and at least the
    /// eleven counters of Linux 2.6 is skipped. Discards (Linux 4.18+) and flushes (5.5+) count
    /// as 0 where the kernel does not report them.
    init(parsing text: String) {
        devices = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 14, let major = UInt32(fields[0]), let minor = UInt32(fields[1]) else { continue }
            func counter(_ index: Int) -> UInt64 { index < fields.count ? UInt64(fields[index]) ?? 0 : 0 }
            devices[major << BlockDeviceName.minorBits | minor] = DiskRequestTotals(
                readRequests: counter(3), writeRequests: counter(7), otherRequests: counter(14) + counter(18),
                readBytes: counter(5) * Self.sectorBytes, writeBytes: counter(9) * Self.sectorBytes
            )
        }
    }

    /// /proc/diskstats counts in 512-byte sectors whatever the device's own sector size.
    static let sectorBytes: UInt64 = 512

    /// Reads and parses /proc/diskstats now; `nil` where it cannot be read (some containers).
    static func read() -> ProcDiskstats? {
        guard case .success(let text) = ProcFile.contents(of: path) else { return nil }
        return ProcDiskstats(parsing: text)
    }
}
