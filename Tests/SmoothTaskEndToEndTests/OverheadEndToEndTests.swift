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
        defer { _ = try? BPFStatsSysctl.write(previous) }
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
        XCTAssertTrue(human.stdout.contains("tp_btf/sys_exit"), human.stdout)
    }

    func testWithoutKernelCountingTheReplySaysSoAndHowToEnableIt() throws {
        let previous = try BPFStatsSysctl.write(0)
        defer { _ = try? BPFStatsSysctl.write(previous) }
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

    /// Every object the daemon lists: its bpf/ objects, the scheduler object as its three parts
    /// (cpu_metrics, sched_latency, cgroup_cpu).
    static let objects: Set<String> = [
        "process_lifecycle", "cpu_metrics", "syscalls", "memory_events", "sched_latency", "disk_metrics", "network_metrics",
        "cgroup_cpu",
    ]

    /// `overhead` lists every program of all eight objects, each with the hook its section names, and
    /// the attached ones are exactly the links the kernel holds for the daemon: the program names
    /// and tracepoints of its link descriptors in /proc/PID/fdinfo and `bpftool prog show`.
    func testOverheadListsEveryProgramOfEveryObjectWithTheKernelsHooks() throws {
        let daemon = try DaemonProcess()
        defer { daemon.stop() }
        // Run-queue latency is on by default; set it anyway so all eight objects are attached whatever the default.
        let on = try daemon.control(["config", "set", "enable_sched_latency=true"])
        XCTAssertEqual(on.status, 0, on.stderr)
        let overhead = try daemon.controlJSON(["overhead"])
        let programs = try XCTUnwrap(overhead["programs"] as? [[String: Any]], "\(overhead)")
        var reported: [String] = []
        for program in programs {
            let name = try XCTUnwrap(program["name"] as? String)
            let hook = try XCTUnwrap(program["hook"] as? String)
            let parts = name.split(separator: "/")
            XCTAssertEqual(parts.count, 2, "not object/program: \(program)")
            XCTAssertTrue(hook.hasPrefix("tp_btf/") || hook.hasPrefix("raw_tp/"), "hook not from a loaded program: \(program)")
            XCTAssertEqual(program["attached"] as? Bool, true, "\(program)")
            reported.append("\(parts.last!) \(hook.split(separator: "/").last!)")
        }
        XCTAssertEqual(Set(programs.compactMap { ($0["name"] as? String)?.split(separator: "/").first.map(String.init) }), Self.objects)

        let names = try Self.loadedProgramNames()
        let kernel = Self.links(of: daemon.pid).map { link in "\(names[link.programID] ?? "?") \(link.tracepoint)" }
        // The one sched_switch program (bpf/scheduler.bpf.c) is listed once per area it works for,
        // each row its share; every other program once.
        XCTAssertEqual(Set(reported), Set(kernel), "overhead against the daemon's links in the kernel")
        XCTAssertEqual(kernel.count, Set(kernel).count, "a program linked twice: \(kernel)")
        XCTAssertEqual(kernel.filter { $0.hasSuffix(" sched_switch") }.count, 1, "one program on sched_switch: \(kernel)")
        XCTAssertEqual(reported.filter { $0.hasSuffix(" sched_switch") }.count, 3, "cpu_metrics, cgroup_cpu, sched_latency: \(reported)")
        XCTAssertEqual(reported.count, kernel.count + 2, "overhead rows: \(reported)")
        print("overhead lists \(programs.count) programs of \(Self.objects.count) objects; the kernel holds \(kernel.count) links")

        let status = try daemon.controlJSON(["status"])
        let ebpf = try XCTUnwrap(status["ebpf"] as? [String: Any], "\(status)")
        let statuses = try XCTUnwrap(ebpf["programs"] as? [[String: Any]], "\(ebpf)")
        XCTAssertEqual(Set(statuses.compactMap { $0["name"] as? String }), Self.objects)
        for object in statuses {
            let name = try XCTUnwrap(object["name"] as? String)
            let hooks = try XCTUnwrap(object["hook"] as? String).components(separatedBy: ", ")
            let fromOverhead = programs.filter { ($0["name"] as? String)?.hasPrefix("\(name)/") == true }.compactMap { $0["hook"] as? String }
            XCTAssertEqual(hooks, fromOverhead, "status hooks of \(name)")
        }
    }

    /// The BPF links `pid` holds: program id and tracepoint (tp_btf and raw_tp both show as
    /// `link_type: raw_tracepoint` with a `tp_name:` line in /proc/PID/fdinfo).
    private static func links(of pid: Int32) -> [(programID: Int, tracepoint: String)] {
        let directory = "/proc/\(pid)/fdinfo"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return descriptors.compactMap { descriptor in
            guard let info = try? String(contentsOfFile: "\(directory)/\(descriptor)", encoding: .utf8),
                  info.contains("link_type:\traw_tracepoint\n") else { return nil }
            var fields: [String: String] = [:]
            for line in info.split(separator: "\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
            guard let id = fields["prog_id"].flatMap({ Int($0) }), let tracepoint = fields["tp_name"] else { return nil }
            return (id, tracepoint)
        }
    }

    /// Every loaded BPF program's name by id, from `bpftool prog show --json` (which completes the
    /// kernel's 15-character name from the program's BTF).
    private static func loadedProgramNames() throws -> [Int: String] {
        let result = try CommandResult.run(URL(fileURLWithPath: "/usr/sbin/bpftool"), ["prog", "show", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let programs = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        var names: [Int: String] = [:]
        for program in programs {
            if let id = program["id"] as? Int, let name = program["name"] as? String { names[id] = name }
        }
        return names
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
