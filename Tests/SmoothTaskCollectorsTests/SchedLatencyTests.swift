#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Run-queue latency under CPU overload, against the scheduler's own accounting.
final class SchedLatencyTests: XCTestCase {
    /// Four CPU hogs on a machine with fewer CPUs must wait for one another: in any window, the
    /// hogs' waits add up to roughly (hogs - CPUs) x the window, which /proc/PID/schedstat reports
    /// independently (its second field is the task's run-queue wait in nanoseconds).
    func testOverloadRaisesP99AndHogWaitsMatchSchedstat() async throws {
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let hogs = 2 * cpus
        var config = EbpfConfig.defaults
        config.enableSchedLatency = true
        let collector = try await TestSupport.initializedCollector(config: config)
        _ = await collector.collectMetrics()
        TestSupport.sleep(seconds: 1)
        let quietMetrics = await collector.collectMetrics()
        let quiet = try XCTUnwrap(quietMetrics.schedLatency?.histogram)

        let stress = try ChildProcess.start(
            "/usr/bin/stress-ng", ["--cpu", "\(hogs)", "--cpu-method", "int64", "--timeout", "10s", "--quiet"],
            skipReason: "the overload comes from stress-ng (apt-get install stress-ng)"
        )
        defer { ChildProcess.kill(stress, children: Self.children(of: stress.processIdentifier)) }
        TestSupport.sleep(seconds: 1)  // the workers have started and reached their steady state
        let workers = Self.children(of: stress.processIdentifier)
        XCTAssertEqual(workers.count, hogs, "stress-ng workers: \(workers)")
        _ = await collector.collectMetrics()
        let before = try workers.map(Self.runQueueWaitNanoseconds)
        TestSupport.sleep(seconds: 2)
        let loaded = await collector.collectMetrics()
        let after = try workers.map(Self.runQueueWaitNanoseconds)
        ChildProcess.kill(stress, children: workers)
        await collector.shutdown()

        let latency = try XCTUnwrap(loaded.schedLatency, "\(loaded.unavailable)")
        let schedstatWait = zip(after, before).reduce(0) { $0 + $1.0 - $1.1 }
        let measuredWait = latency.topProcesses.filter { workers.contains($0.pid) }.reduce(0) { $0 + $1.histogram.sumNanoseconds }
        let quietP99 = try XCTUnwrap(quiet.percentile(0.99))
        let loadedP99 = try XCTUnwrap(latency.histogram.percentile(0.99))
        print(String(
            format: "sched_latency: quiet p50 %llu ns p99 %llu ns max %llu ns (%llu waits); %d hogs on %d CPUs: p50 %llu ns "
                + "p99 %llu ns max %llu ns (%llu waits), p99 x%.0f; hogs waited %.3f s by eBPF vs %.3f s by schedstat (%+.1f%%)",
            quiet.percentile(0.5) ?? 0, quietP99, quiet.maxNanoseconds ?? 0, quiet.count, hogs, cpus,
            latency.histogram.percentile(0.5) ?? 0, loadedP99, latency.histogram.maxNanoseconds ?? 0, latency.histogram.count,
            Double(loadedP99) / Double(max(quietP99, 1)), Double(measuredWait) / 1e9, Double(schedstatWait) / 1e9,
            (Double(measuredWait) - Double(schedstatWait)) / Double(schedstatWait) * 100
        ))
        // The hogs are among the worst offenders, and the top list holds them all when there are fewer
        // than 5 (a process of a busy machine, e.g. the test runner, may wait longer than one of them).
        if hogs < SchedLatencyMetrics.topProcessLimit {
            let listed = Set(latency.topProcesses.map(\.pid))
            XCTAssertTrue(workers.allSatisfy(listed.contains), "\(latency.topProcesses.map { ($0.pid, $0.comm ?? "-") }) vs workers \(workers)")
        } else {
            let hogsListed = latency.topProcesses.filter { workers.contains($0.pid) }.count
            XCTAssertGreaterThanOrEqual(hogsListed, SchedLatencyMetrics.topProcessLimit - 1, "\(latency.topProcesses.map { ($0.pid, $0.comm ?? "-") })")
        }
        XCTAssertGreaterThan(loadedP99, quietP99)
        // schedstat and the eBPF program both count every wait that ended in the window; windows
        // differ by the few ms between reads, so allow 10%.
        if hogs <= SchedLatencyMetrics.topProcessLimit {
            XCTAssertEqual(Double(measuredWait), Double(schedstatWait), accuracy: Double(schedstatWait) * 0.10)
        }
    }

    private static func children(of pid: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// /proc/PID/schedstat: on-CPU ns, run-queue wait ns, timeslices (needs CONFIG_SCHED_INFO).
    private static func runQueueWaitNanoseconds(_ pid: Int32) throws -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/schedstat", encoding: .utf8) else {
            throw XCTSkip("no /proc/\(pid)/schedstat (kernel without CONFIG_SCHED_INFO): no independent wait figure")
        }
        let fields = text.split(separator: " ")
        return try XCTUnwrap(fields.count >= 2 ? UInt64(fields[1]) : nil, text)
    }
}
