#if canImport(Glibc)
import Glibc
#endif
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Per-process CPU time from cpu_metrics against /proc/PID/stat utime+stime of a busy child.
final class ProcessCPUAccuracyTests: XCTestCase {
    static let window = 3.0  // seconds: utime+stime are read in 10 ms ticks, so each reading may be 10 ms short
    static let tolerance = 0.02

    func testBusyChildCPUTimeMatchesProcStatWithinTwoPercent() async throws {
        let collector = try await TestSupport.initializedCollector()
        let child = try ChildProcess("while :; do :; done")
        TestSupport.sleep(seconds: 0.2)
        let before = try XCTUnwrap(ProcPIDStat.read(pid: child.pid))
        let runtimeBefore = try schedstatRuntime(child.pid)
        _ = await collector.collectMetrics()
        TestSupport.sleep(seconds: Self.window)
        _ = await collector.collectMetrics()
        let after = try XCTUnwrap(ProcPIDStat.read(pid: child.pid))
        let runtime = Double(try schedstatRuntime(child.pid) - runtimeBefore) / 1e9
        let top = await collector.topProcesses(ProcessTopQuery(pid: child.pid))
        await collector.shutdown()

        let row = try XCTUnwrap(top.processes.first, "child missing: \(top)")
        let ebpf = Double(try XCTUnwrap(row.cpuTimeNanoseconds)) / 1e9
        let procfs = Double((after.userTicks + after.systemTicks) - (before.userTicks + before.systemTicks)) / TestSupport.userHZ
        let error = (ebpf - procfs) / procfs
        print(String(
            format: "per-process CPU of a busy child over %.1f s: ebpf %.4f s (%.1f%% of one CPU), "
                + "/proc/PID/stat utime+stime %.3f s: %+.2f%%; /proc/PID/schedstat %.4f s: %+.2f%%",
            Self.window, ebpf, row.cpuPercent ?? -1, procfs, error * 100, runtime, (ebpf - runtime) / runtime * 100
        ))
        XCTAssertGreaterThan(procfs, Self.window / 4, "the child barely ran: the machine is saturated")
        XCTAssertEqual(error, 0, accuracy: Self.tolerance)
    }

    /// The task's on-CPU nanoseconds (se.sum_exec_runtime), the first field of /proc/PID/schedstat.
    private func schedstatRuntime(_ pid: Int32) throws -> UInt64 {
        let text = try String(contentsOfFile: "/proc/\(pid)/schedstat", encoding: .utf8)
        return try XCTUnwrap(text.split(separator: " ").first.flatMap { UInt64($0) })
    }
}
