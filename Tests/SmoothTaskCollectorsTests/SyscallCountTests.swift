#if canImport(Glibc)
import Glibc
#endif
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// syscall_count after a known number of syscalls.
final class SyscallCountTests: XCTestCase {
    static let knownSyscalls = 1_000_000
    static let tolerance = 0.02

    // getppid is a plain syscall in glibc (never cached); the filtered counter below confirms it.
    private func makeKnownSyscalls() {
        for _ in 0..<Self.knownSyscalls { _ = getppid() }
    }

    func testSystemWideCountSeesAtLeastTheKnownLoad() async throws {
        let collector = try await TestSupport.initializedCollector()
        // The first window covers loading the programs (our own bpf() calls); the second shows
        // what the rest of the machine does.
        _ = await collector.collectMetrics()
        try await Task.sleep(for: .milliseconds(200))
        let beforeReading = await collector.collectMetrics()
        let before = try XCTUnwrap(beforeReading.syscallCount)
        let start = DispatchTime.now()
        makeKnownSyscalls()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let metrics = await collector.collectMetrics()
        let busiest = await collector.topProcesses(ProcessTopQuery(sort: .syscalls, limit: 3)).processes
            .map { "\($0.comm ?? "?") (\($0.pid)): \($0.syscalls ?? 0)" }.joined(separator: ", ")
        await collector.shutdown()

        XCTAssertEqual(metrics.sources[EbpfMetrics.Name.syscalls], .ebpf)
        let delta = try XCTUnwrap(metrics.syscallCount) - before
        let error = (Double(delta) - Double(Self.knownSyscalls)) / Double(Self.knownSyscalls)
        print(String(
            format: "syscall_count system-wide: %llu counted for %d getppid in %.3f s: %+.3f%% (other processes included); rate %.0f/s",
            delta, Self.knownSyscalls, seconds, error * 100, metrics.syscallRate ?? -1
        ))
        XCTAssertGreaterThanOrEqual(delta, UInt64(Self.knownSyscalls))
        // Other processes' syscalls count too: the 2% bound holds only while they stay far below
        // it, which the rate seen before the burst tells (testCountOfThisProcessIsWithinTwoPercent
        // holds the count itself to 2% on any machine).
        let backgroundRate = beforeReading.syscallRate ?? 0
        guard backgroundRate * seconds < 0.01 * Double(Self.knownSyscalls) else {
            throw XCTSkip("the system-wide 2% bound needs a quiet machine: \(Int(backgroundRate)) syscalls/s from other "
                + "processes before the burst; busiest: \(busiest)")
        }
        XCTAssertEqual(error, 0, accuracy: Self.tolerance)
        XCTAssertNotNil(metrics.syscallRate)
    }

    /// The same program with its `filter_tgid` knob set to this process isolates the test's load
    /// from the rest of the system, so the count can be held to 2%.
    func testCountOfThisProcessIsWithinTwoPercent() async throws {
        _ = try await TestSupport.initializedCollector()
        let counter = try SyscallCounterProgram(loader: ProgramLoader(logger: TestSupport.logger), filterTGID: UInt32(getpid()))
        try counter.attach()
        let before = try counter.totalCount()
        makeKnownSyscalls()
        let after = try counter.totalCount()
        counter.detach()

        let delta = after - before
        let error = (Double(delta) - Double(Self.knownSyscalls)) / Double(Self.knownSyscalls)
        print(String(format: "syscall_count filtered to this process: %llu for %d getppid: %+.4f%%", delta, Self.knownSyscalls, error * 100))
        XCTAssertGreaterThanOrEqual(delta, UInt64(Self.knownSyscalls))
        XCTAssertEqual(error, 0, accuracy: Self.tolerance)
    }
}
