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
    ///
    /// Scans the bytes in place: every collection parses it, and splitting it into substrings took
    /// 5% of an idle daemon's CPU for a dozen lines.
    init(parsing text: String) {
        var devices: [UInt32: DiskRequestTotals] = [:]
        var fields: [UInt64?] = []
        fields.reserveCapacity(Self.fieldsPerLine)
        var field: UInt64?
        var inField = false
        func endField() {
            if inField { fields.append(field) }
            inField = false
        }
        func endLine() {
            endField()
            defer { fields.removeAll(keepingCapacity: true) }
            guard fields.count >= 14, let major = fields[0].flatMap(UInt32.init(exactly:)),
                  let minor = fields[1].flatMap(UInt32.init(exactly:)) else { return }
            func counter(_ index: Int) -> UInt64 { index < fields.count ? fields[index] ?? 0 : 0 }
            devices[major << BlockDeviceName.minorBits | minor] = DiskRequestTotals(
                readRequests: counter(3), writeRequests: counter(7), otherRequests: counter(14) &+ counter(18),
                readBytes: counter(5) &* Self.sectorBytes, writeBytes: counter(9) &* Self.sectorBytes
            )
        }
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\n"):
                    endLine()
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    endField()
                default:
                    if !inField { (inField, field) = (true, 0) }
                    guard let value = field, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                        field = nil
                        continue
                    }
                    let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                    let (next, carry) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                    field = overflow || carry ? nil : next
                }
            }
        }
        endLine()
        self.devices = devices
    }

    /// Fields on a line of Linux 5.5+: major, minor, name and 17 counters.
    private static let fieldsPerLine = 20

    /// /proc/diskstats counts in 512-byte sectors whatever the device's own sector size.
    static let sectorBytes: UInt64 = 512

    /// Reads and parses /proc/diskstats now; `nil` where it cannot be read (some containers).
    static func read() -> ProcDiskstats? {
        guard case .success(let text) = ProcFile.contents(of: path) else { return nil }
        return ProcDiskstats(parsing: text)
    }
}
