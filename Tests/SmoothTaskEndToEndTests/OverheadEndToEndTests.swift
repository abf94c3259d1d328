import Foundation
import XCTest

/// The `overhead` method against independent ground truth: /proc/<pid> for the daemon's own usage,
/// a known number of getppid calls for the syscall program's kernel run count.
final class OverheadEndToEndTests: XCTestCase {
    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF and root to switch bpf_stats: run the suite as root")
        }
    }

    func testOverheadReportsTheDaemonsOwnRSSAndCPUTime() throws {
        let daemon = try DaemonProcess()
        let cpuBefore = try Self.cpuSeconds(pid: daemon.pid)
        let overhead = try daemon.controlJSON(["overhead"])
        let cpuAfter = try Self.cpuSeconds(pid: daemon.pid)
        let procRSS = try Self.vmRSSBytes(pid: daemon.pid)

        XCTAssertEqual(overhead["pid"] as? Int, Int(daemon.pid))
        let rss = Double(try XCTUnwrap(overhead["rss_bytes"] as? Int, "\(overhead)"))
        XCTAssertEqual(rss, procRSS, accuracy: procRSS * 0.10, "daemon says \(rss) B, /proc says \(procRSS) B")
        // getrusage reports microseconds; allow a millisecond for its rounding and the threads' accounting.
        let cpu = try XCTUnwrap(overhead["cpu_time_s"] as? Double)
        XCTAssertGreaterThanOrEqual(cpu, cpuBefore - 0.001)
        XCTAssertLessThanOrEqual(cpu, cpuAfter + 0.001)
        let percent = try XCTUnwrap(overhead["cpu_percent"] as? Double)
        XCTAssertTrue((0...Double(200 * ProcessInfo.processInfo.activeProcessorCount)).contains(percent), "\(percent)")
        XCTAssertGreaterThan(try XCTUnwrap(overhead["window_ms"] as? Int), 0)

        let status = try daemon.controlJSON(["status"])
        let statusOverhead = try XCTUnwrap(status["overhead"] as? [String: Any], "status has no overhead: \(status)")
        XCTAssertEqual(Double(try XCTUnwrap(statusOverhead["rss_bytes"] as? Int)), procRSS, accuracy: procRSS * 0.10)
        let human = try daemon.control(["status"])
        XCTAssertTrue(human.stdout.contains("Overhead:"), human.stdout)
    }

    func testSyscallProgramRunCountGrowsByAtLeastAKnownLoadWhenTheKernelCounts() throws {
        let previous = try BPFStatsSysctl.write(1)
        defer { try? BPFStatsSysctl.write(previous) }
        let daemon = try DaemonProcess()
        let before = try Self.syscallProgram(in: daemon.controlJSON(["overhead"]))
        let calls = 200_000
        // glibc never caches getppid: each call is one syscall.
        for _ in 0..<calls { _ = getppid() }
        let overhead = try daemon.controlJSON(["overhead"])
        let after = try Self.syscallProgram(in: overhead)

        XCTAssertEqual(overhead["bpf_stats_enabled"] as? Bool, true)
        XCTAssertTrue((overhead["bpf_stats_note"] as? String)?.contains("upper bound") == true, "\(overhead)")
        let runsBefore = try XCTUnwrap(before["run_count"] as? Int, "\(before)")
        let runsAfter = try XCTUnwrap(after["run_count"] as? Int, "\(after)")
        XCTAssertGreaterThanOrEqual(runsAfter - runsBefore, calls)
        let perEvent = try XCTUnwrap(after["ns_per_event"] as? Double)
        let total = try XCTUnwrap(after["run_time_ns"] as? Int)
        XCTAssertEqual(perEvent, Double(total) / Double(runsAfter), accuracy: 0.001)
        XCTAssertGreaterThan(perEvent, 0)

        let human = try daemon.control(["overhead"])
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(human.stdout.contains("raw_tp/sys_enter"), human.stdout)
    }

    func testWithoutKernelCountingTheReplySaysSoAndHowToEnableIt() throws {
        let previous = try BPFStatsSysctl.write(0)
        defer { try? BPFStatsSysctl.write(previous) }
        guard try BPFStatsSysctl.read() == 0 else {
            throw XCTSkip("another process holds a BPF_ENABLE_STATS descriptor, so the kernel keeps counting")
        }
        let daemon = try DaemonProcess()
        let overhead = try daemon.controlJSON(["overhead"])
        XCTAssertEqual(overhead["bpf_stats_enabled"] as? Bool, false)
        let note = try XCTUnwrap(overhead["bpf_stats_note"] as? String)
        XCTAssertTrue(note.contains("sysctl kernel.bpf_stats_enabled=1"), note)
        let programs = try XCTUnwrap(overhead["programs"] as? [[String: Any]])
        XCTAssertFalse(programs.isEmpty)
        for program in programs {
            XCTAssertTrue(program["run_count"] is NSNull, "a stale count looks real: \(program)")
            XCTAssertTrue(program["ns_per_event"] is NSNull, "\(program)")
        }
        let human = try daemon.control(["overhead"])
        XCTAssertTrue(human.stdout.contains("sysctl kernel.bpf_stats_enabled=1"), human.stdout)
    }

    private static func syscallProgram(in overhead: [String: Any]) throws -> [String: Any] {
        let programs = try XCTUnwrap(overhead["programs"] as? [[String: Any]], "\(overhead)")
        return try XCTUnwrap(programs.first { $0["name"] as? String == "syscalls/count_syscall" }, "\(programs)")
    }

    /// On-CPU seconds of every thread of `pid`, from /proc/<pid>/task/*/schedstat (nanoseconds;
    /// /proc/<pid>/stat's clock ticks are too coarse for a daemon that has used a few tens of ms).
    private static func cpuSeconds(pid: Int32) throws -> Double {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        var nanoseconds = 0.0
        for task in tasks {
            guard let schedstat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                  let first = schedstat.split(separator: " ").first, let value = Double(first) else { continue }
            nanoseconds += value
        }
        return nanoseconds / 1e9
    }

    private static func vmRSSBytes(pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try XCTUnwrap(Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
    }
}
