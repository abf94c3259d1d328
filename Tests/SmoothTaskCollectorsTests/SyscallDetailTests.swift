#if canImport(Glibc)
import Glibc
#endif
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Per-syscall, per-process and per-errno counts after a known load from this process.
final class SyscallDetailTests: XCTestCase {
    static let knownCalls = 200_000
    static let tolerance = 0.02

    func testKnownLoadShowsUpPerSyscallPerProcessAndPerErrno() async throws {
        let collector = try await TestSupport.initializedCollector()
        _ = await collector.collectMetrics()
        for _ in 0..<Self.knownCalls { _ = getppid() }
        // close(-1) fails with EBADF without touching any file.
        for _ in 0..<Self.knownCalls { _ = close(-1) }
        let metrics = await collector.collectMetrics()
        let top = await collector.topProcesses(ProcessTopQuery(sort: .syscalls, pid: getpid()))
        await collector.shutdown()

        let syscalls = try XCTUnwrap(metrics.syscalls, "\(metrics.unavailable)")
        XCTAssertEqual(syscalls.architecture, SyscallTable.architecture)
        let getppid = try XCTUnwrap(syscalls.topSyscalls.first { $0.name == "getppid" }, "\(syscalls.topSyscalls)")
        let closeCalls = try XCTUnwrap(syscalls.topSyscalls.first { $0.name == "close" }, "\(syscalls.topSyscalls)")
        let failed = try XCTUnwrap(
            syscalls.topFailures.first { $0.name == "close" && $0.errnoName == "EBADF" }, "\(syscalls.topFailures)"
        )
        XCTAssertEqual(failed.errno, UInt32(EBADF))
        let own = try XCTUnwrap(syscalls.topProcesses.first { $0.pid == getpid() }, "\(syscalls.topProcesses)")
        let row = try XCTUnwrap(top.processes.first)
        print(String(
            format: "syscall details for %d getppid + %d failing close: getppid %llu (%+.3f%%), close %llu, "
                + "close/EBADF %llu (%+.3f%%), this process %llu, processes.top %llu, map_full %llu",
            Self.knownCalls, Self.knownCalls, getppid.count, relative(getppid.count, Self.knownCalls) * 100,
            closeCalls.count, failed.count, relative(failed.count, Self.knownCalls) * 100, own.count,
            row.syscalls ?? 0, syscalls.mapFull
        ))
        // getppid and close(-1) are rare elsewhere on an idle machine; the 2% allow for the rest.
        XCTAssertGreaterThanOrEqual(getppid.count, UInt64(Self.knownCalls))
        XCTAssertEqual(relative(getppid.count, Self.knownCalls), 0, accuracy: Self.tolerance)
        XCTAssertGreaterThanOrEqual(failed.count, UInt64(Self.knownCalls))
        XCTAssertEqual(relative(failed.count, Self.knownCalls), 0, accuracy: Self.tolerance)
        // This process made the 2 x knownCalls plus its own few (threads of XCTest, the map reads).
        XCTAssertGreaterThanOrEqual(own.count, UInt64(2 * Self.knownCalls))
        XCTAssertEqual(relative(own.count, 2 * Self.knownCalls), 0, accuracy: Self.tolerance)
        XCTAssertEqual(row.pid, getpid())
        XCTAssertEqual(row.syscalls, own.count)
        XCTAssertEqual(syscalls.mapFull, 0)
    }

    func testGeneratedTableNamesWellKnownNumbers() {
        #if arch(x86_64)
        XCTAssertEqual(SyscallTable.name(of: 0), "read")
        XCTAssertEqual(SyscallTable.name(of: 110), "getppid")
        #endif
        XCTAssertEqual(SyscallNames.arm64[63], "read")
        XCTAssertEqual(SyscallNames.arm64[80], "fstat")
        XCTAssertEqual(SyscallTable.errnoName(of: UInt32(ENOENT)), "ENOENT")
        XCTAssertEqual(SyscallTable.errnoName(of: UInt32(EBADF)), "EBADF")
    }

    private func relative(_ count: UInt64, _ expected: Int) -> Double {
        (Double(count) - Double(expected)) / Double(expected)
    }
}
