#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Bytes written with O_DIRECT to a loop device of the test's own are counted for that device and
/// for this process.
final class DiskMetricsTests: XCTestCase {
    static let knownBytes = 32 << 20
    static let chunkBytes = 1 << 20
    static let tolerance = 0.01
    // Glibc's Swift overlay does not export O_DIRECT (it needs _GNU_SOURCE); values from asm/fcntl.h.
    #if arch(arm64)
    static let oDirect: Int32 = 0o200000
    #else
    static let oDirect: Int32 = 0o40000
    #endif

    func testODirectWritesToALoopDeviceAreCountedWithinOnePercent() async throws {
        let collector = try await TestSupport.initializedCollector()
        let backing = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-disk-\(getpid()).img").path
        XCTAssertTrue(FileManager.default.createFile(atPath: backing, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: backing) }
        XCTAssertEqual(truncate(backing, off_t(Self.knownBytes * 2)), 0)
        let attach = try ChildProcess.output("/usr/sbin/losetup", ["--find", "--show", backing])
        guard attach.status == 0, case let device = attach.stdout.trimmingCharacters(in: .whitespacesAndNewlines), !device.isEmpty else {
            throw XCTSkip("losetup could not attach a loop device here (exit \(attach.status))")
        }
        defer { _ = try? ChildProcess.output("/usr/sbin/losetup", ["--detach", device]) }
        let deviceName = String(device.split(separator: "/").last!)

        _ = await collector.collectMetrics()
        try Self.writeDirect(to: device, bytes: Self.knownBytes)
        let metrics = await collector.collectMetrics()
        await collector.shutdown()

        XCTAssertEqual(metrics.sources[EbpfMetrics.Name.disk], .ebpf, "\(metrics.unavailable)")
        let disk = try XCTUnwrap(metrics.disk)
        let loop = try XCTUnwrap(disk.devices.first { $0.name == deviceName }, "\(deviceName) not in \(disk.devices.map(\.name))")
        let ownProcess = try XCTUnwrap(disk.topProcesses.first { $0.pid == getpid() }, "\(disk.topProcesses)")
        let deviceError = (Double(loop.writeBytes) - Double(Self.knownBytes)) / Double(Self.knownBytes)
        let processError = (Double(ownProcess.writeBytes) - Double(Self.knownBytes)) / Double(Self.knownBytes)
        print(String(
            format: "disk: %d bytes written O_DIRECT to %@: device counted %llu (%+.3f%%) in %llu requests, "
                + "p50 %llu ns p99 %llu ns; this process counted %llu (%+.3f%%)",
            Self.knownBytes, device, loop.writeBytes, deviceError * 100, loop.writeRequests,
            loop.latency.percentile(0.5) ?? 0, loop.latency.percentile(0.99) ?? 0, ownProcess.writeBytes, processError * 100
        ))
        XCTAssertEqual(deviceError, 0, accuracy: Self.tolerance)
        XCTAssertEqual(processError, 0, accuracy: Self.tolerance)
        XCTAssertGreaterThan(loop.writeRequests, 0)
        // Every issued request is timed; the fsync's flush completes through the flush machinery
        // without an issue of its own, so it is counted but not timed.
        XCTAssertGreaterThanOrEqual(loop.latency.count, loop.writeRequests)
        XCTAssertLessThanOrEqual(loop.latency.count, loop.writeRequests + loop.readRequests + loop.otherRequests)
    }

    /// Writes `bytes` of a pattern to `path` with O_DIRECT (aligned buffer), then fsyncs.
    private static func writeDirect(to path: String, bytes: Int) throws {
        let fd = open(path, O_WRONLY | oDirect)
        guard fd >= 0 else { throw XCTSkip("cannot open \(path) with O_DIRECT: errno \(errno)") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 4096)
        defer { buffer.deallocate() }
        memset(buffer, 0x5a, chunkBytes)
        for _ in 0..<(bytes / chunkBytes) {
            XCTAssertEqual(write(fd, buffer, chunkBytes), chunkBytes)
        }
        XCTAssertEqual(fsync(fd), 0)
    }
}
