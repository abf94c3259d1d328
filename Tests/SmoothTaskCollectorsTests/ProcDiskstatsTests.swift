import Foundation
import XCTest

@testable import SmoothTaskCollectors

/// /proc/diskstats, the disk area's source for each device's requests and bytes, read against the
/// kernel's other copy of the same counters (/sys/block/DEV/stat) and against the layouts of the
/// kernels we target.
final class ProcDiskstatsTests: XCTestCase {
    /// The three layouts: Linux 5.5+ (flushes), 4.18+ (discards) and the eleven counters before.
    func testEveryKernelLayoutParsesToTheSameFields() {
        let text = """
               8       0 sda 10 1 2048 5 20 2 4096 7 0 9 12 3 0 24 1 4 2
               8       1 sda1 10 1 2048 5 20 2 4096 7 0 9 12 3 0 24 1
             254      16 vdb 10 1 2048 5 20 2 4096 7 0 9 12
            not a device line
            """
        let devices = ProcDiskstats(parsing: text).devices
        XCTAssertEqual(devices[8 << 20 | 0], DiskRequestTotals(
            readRequests: 10, writeRequests: 20, otherRequests: 3 + 4, readBytes: 2048 * 512, writeBytes: 4096 * 512
        ))
        XCTAssertEqual(devices[8 << 20 | 1]?.otherRequests, 3, "discards without the flush fields")
        XCTAssertEqual(devices[254 << 20 | 16], DiskRequestTotals(
            readRequests: 10, writeRequests: 20, otherRequests: 0, readBytes: 2048 * 512, writeBytes: 4096 * 512
        ))
        XCTAssertEqual(devices.count, 3)
    }

    /// Each whole disk in /sys/block reads the same in /proc/diskstats (both are the kernel's
    /// part_stat of the disk), bracketed by two reads of /sys/block since the disk may be busy.
    func testTheReaderAgreesWithSysBlock() throws {
        let disks = try FileManager.default.contentsOfDirectory(atPath: "/sys/block")
        XCTAssertFalse(disks.isEmpty, "no block devices in /sys/block")
        func sysBlock() -> [String: (reads: UInt64, writtenSectors: UInt64)] {
            var stats: [String: (UInt64, UInt64)] = [:]
            for disk in disks {
                guard let text = try? String(contentsOfFile: "/sys/block/\(disk)/stat", encoding: .utf8) else { continue }
                let fields = text.split(separator: " ").compactMap { UInt64($0) }
                if fields.count > 6 { stats[disk] = (fields[0], fields[6]) }
            }
            return stats
        }
        let before = sysBlock()
        let statistics = try XCTUnwrap(ProcDiskstats.read(), "/proc/diskstats did not read")
        let after = sysBlock()
        var compared = 0
        for disk in disks {
            guard let number = try? String(contentsOfFile: "/sys/block/\(disk)/dev", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").compactMap({ UInt32($0) }),
                number.count == 2, let early = before[disk], let late = after[disk] else { continue }
            let totals = try XCTUnwrap(statistics.devices[number[0] << 20 | number[1]], "\(disk) (\(number)) not in /proc/diskstats")
            XCTAssertTrue((early.reads...late.reads).contains(totals.readRequests), disk)
            XCTAssertTrue((early.writtenSectors * 512...late.writtenSectors * 512).contains(totals.writeBytes), disk)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 0)
    }
}
