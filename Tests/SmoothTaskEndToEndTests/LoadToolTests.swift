#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// The load generators of issue 13's ground-truth tests, checked against independent counts
/// (strace -ff, perf, /proc) without SmoothTask: a daemon test can only be as true as its load.
final class LoadToolTests: XCTestCase {
    private static let strace = "/usr/bin/strace"
    private static let perf = "/usr/bin/perf"
    /// O_DIRECT bytes worker_idle writes, as issue 13's test does.
    private static let odirectBytes = 64 << 20
    /// Loopback bytes, as issue 13's test does ("a finished 50 MB loopback transfer").
    private static let loopbackBytes = 50_000_000

    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loadtool-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// strace -ff writes each process's calls to its own file: every storm child must show exactly
    /// syscalls_per_child calls, the first of them naming it.
    func testEveryStormChildMakesExactlyItsKnownSyscalls() throws {
        try requireExecutable(Self.strace, "strace cannot count the children's syscalls")
        let prefix = scratch.appendingPathComponent("trace").path
        let storm = try ShortLivedStorm.run(children: 50, syscalls: 1000, wrapper: [Self.strace, "-ff", "-o", prefix])
        XCTAssertEqual(storm.syscallsPerChild, 1003, "prctl + 1000 getppid + clock_nanosleep + exit_group")
        XCTAssertEqual(Set(storm.children).count, 50)
        XCTAssertEqual(storm.knownSyscalls, 50 * 1003)
        XCTAssertEqual(storm.comm, "stshort")
        var perChild: [Int: Int] = [:]
        for child in storm.children {
            let calls = try syscalls(inTrace: "\(prefix).\(child)")
            perChild[calls.count, default: 0] += 1
            XCTAssertEqual(calls.first, "prctl(", "child \(child)")
            let trace = try String(contentsOfFile: "\(prefix).\(child)", encoding: .utf8)
            XCTAssertTrue(trace.hasPrefix(#"prctl(PR_SET_NAME, "stshort")"#), "child \(child) names itself first")
            XCTAssertEqual(calls.filter { $0 == "getppid(" }.count, 1000, "child \(child)")
            XCTAssertEqual(calls.last, "exit_group(", "child \(child)")
        }
        XCTAssertEqual(perChild, [1003: 50], "syscalls per child (count: children) under strace -ff")
        print("short_lived storm 50 1000 under strace -ff: per child \(perChild), children_cpu_ns \(storm.childrenCpuNs),",
              "wall \(storm.endMs - storm.startMs) ms")
    }

    /// Issue 13's storm (500 children) without ptrace: perf counts every syscall entered and the CPU
    /// of the tool and its children. The children's known syscalls plus the parent's (at least one
    /// clone and one wait4 per child, plus its start-up) must make perf's total, and
    /// RUSAGE_CHILDREN must be perf's task-clock less the parent's small share.
    func testIssueSizedStormAgreesWithPerf() throws {
        try requireExecutable(Self.perf, "perf cannot count the storm's syscalls and CPU (Debian: apt-get install linux-perf)")
        let counts = scratch.appendingPathComponent("perf.csv").path
        let storm = try ShortLivedStorm.run(
            children: 500, syscalls: 1000,
            wrapper: [Self.perf, "stat", "-x", ",", "-o", counts, "-e", "raw_syscalls:sys_enter,task-clock", "--"]
        )
        let figures = try perfCounts(counts)
        guard let entered = figures["raw_syscalls:sys_enter"], let taskClockMs = figures["task-clock"] else {
            throw XCTSkip("perf stat could not count raw_syscalls:sys_enter and task-clock here: \(figures)")
        }
        let known = try XCTUnwrap(storm.knownSyscalls)
        XCTAssertEqual(known, 500 * 1003)
        let parentCalls = Int(entered) - known
        // Parent: one clone and one wait4 per child, plus start-up and output (about 40 calls).
        XCTAssertGreaterThanOrEqual(parentCalls, 2 * 500, "perf saw fewer syscalls than the children's known count")
        XCTAssertLessThanOrEqual(parentCalls, 2 * 500 + 200, "perf saw more syscalls than the children and parent make")
        let taskClockNs = taskClockMs * 1_000_000
        let childrenShare = Double(storm.childrenCpuNs) / taskClockNs
        XCTAssertGreaterThan(childrenShare, 0.9, "RUSAGE_CHILDREN is far below perf's task-clock of tool and children")
        XCTAssertLessThanOrEqual(childrenShare, 1.01, "RUSAGE_CHILDREN exceeds perf's task-clock of tool and children")
        XCTAssertGreaterThanOrEqual(storm.childrenCpuNs, 500 * 1_000_000 / 4, "children burned far less than 1 ms each")
        print("short_lived storm 500 1000 under perf stat: sys_enter \(Int(entered)) = known \(known) + parent \(parentCalls);",
              "children_cpu_ns \(storm.childrenCpuNs), task-clock \(Int(taskClockNs)) ns (children \(String(format: "%.1f", childrenShare * 100))%),",
              "wall \(storm.endMs - storm.startMs) ms, parallel \(storm.parallel)")
    }

    /// Exec mode: every child exec'd the tool and was reaped; each made its getppid calls.
    func testExecStormChildrenRunTheToolItself() throws {
        try requireExecutable(Self.strace, "strace cannot see the children's exec")
        let prefix = scratch.appendingPathComponent("trace").path
        let storm = try ShortLivedStorm.run(children: 20, syscalls: 100, exec: true, wrapper: [Self.strace, "-ff", "-o", prefix])
        XCTAssertEqual(storm.comm, "short_lived")
        XCTAssertNil(storm.syscallsPerChild)
        XCTAssertEqual(storm.knownGetppid, 20 * 100)
        for child in storm.children {
            let calls = try syscalls(inTrace: "\(prefix).\(child)")
            XCTAssertEqual(calls.first, "execve(", "child \(child)")
            XCTAssertEqual(calls.filter { $0 == "getppid(" }.count, 100, "child \(child)")
        }
    }

    /// worker_idle's syscalls_made is exactly what strace sees from its getpid marker through the
    /// read(0) it idles in, with every kind of work switched on.
    func testWorkerSyscallCountMatchesStrace() throws {
        try requireExecutable(Self.strace, "strace cannot count the worker's syscalls")
        let prefix = scratch.appendingPathComponent("trace").path
        let worker = try IdleWorker(
            cpuMs: 20, syscalls: 10_000, odirect: try LoadTool.diskBackedFile(near: scratch), sendLoopback: 5_000_000, handshake: true,
            wrapper: [Self.strace, "-ff", "-o", prefix]
        )
        let report = try worker.report()
        XCTAssertEqual(report.pid, worker.readyPid)
        XCTAssertEqual(worker.finish(), 0)
        let calls = try syscalls(inTrace: "\(prefix).\(report.pid)")
        // The marker is the last getpid before the JSON line; the idle read is the read(0) after it.
        let line = try XCTUnwrap(calls.lastIndex(of: "write("))
        let marker = try XCTUnwrap(calls[..<line].lastIndex(of: "getpid("))
        let idle = try XCTUnwrap(calls[line...].firstIndex(of: "read("))
        let counted = calls[marker...idle].count
        XCTAssertEqual(report.syscallsMade, counted, "worker_idle's own count vs strace -ff")
        XCTAssertEqual(calls[marker...idle].filter { $0 == "getppid(" }.count, 10_000)
        XCTAssertEqual(report.writtenBytes, Self.odirectBytes)
        XCTAssertEqual(report.sentBytes, 5_000_000)
        XCTAssertEqual(report.receivedBytes, 5_000_000)
        print("worker_idle under strace -ff: syscalls_made \(report.syscallsMade), strace from marker to idle read \(counted)")
    }

    /// While worker_idle idles, /proc/PID/stat agrees with the CPU it reported (within a tick, the
    /// granularity of both), and /proc/PID/io shows its O_DIRECT write.
    func testIdleWorkerFiguresMatchProc() throws {
        let worker = try IdleWorker(
            cpuMs: 300, syscalls: 100_000, odirect: try LoadTool.diskBackedFile(near: scratch), sendLoopback: Self.loopbackBytes
        )
        let report = try worker.report()
        let tick = 1_000_000_000 / report.clockTicksPerS
        let procCPU = try cpuNs(ofProcess: report.pid, ticksPerSecond: report.clockTicksPerS)
        XCTAssertLessThanOrEqual(abs(procCPU - report.cpuNs), tick, "/proc/PID/stat moved by more than a tick while idle")
        // /proc truncates utime and stime to whole ticks each, getrusage to µs, and was read after it.
        XCTAssertGreaterThanOrEqual(report.rusageCpuNs, report.cpuNs, "getrusage below /proc/self/stat")
        XCTAssertLessThanOrEqual(report.rusageCpuNs - report.cpuNs, 2 * tick, "getrusage and /proc/self/stat disagree")
        // A 300 ms spin on a busy 2-core machine still gets well over a third of it.
        XCTAssertGreaterThan(report.cpuNs, 100_000_000)
        let io = try procIO(ofProcess: report.pid)
        let writeBytes = try XCTUnwrap(io["write_bytes"])
        XCTAssertEqual(report.writtenBytes, Self.odirectBytes)
        XCTAssertGreaterThanOrEqual(writeBytes, report.writtenBytes, "/proc/PID/io misses part of the O_DIRECT write")
        XCTAssertLessThanOrEqual(Double(writeBytes), Double(report.writtenBytes) * 1.01, "/proc/PID/io shows more than written")
        XCTAssertEqual(report.sentBytes, Self.loopbackBytes)
        XCTAssertEqual(report.receivedBytes, Self.loopbackBytes)
        let receiver = try XCTUnwrap(report.receiverPid)
        XCTAssertEqual(kill(receiver, 0), 0, "the receiver should idle with the worker")
        XCTAssertEqual(worker.finish(), 0)
        print("worker_idle idle: cpu_ns \(report.cpuNs), /proc stat \(procCPU), rusage \(report.rusageCpuNs);",
              "written \(report.writtenBytes), /proc io write_bytes \(writeBytes); sent \(report.sentBytes),",
              "received \(report.receivedBytes); syscalls_made \(report.syscallsMade)")
    }

    // MARK: - Independent readers

    private func requireExecutable(_ path: String, _ consequence: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("\(path) is not installed: \(consequence)")
        }
    }

    /// The syscall names (with their opening parenthesis) of one strace -ff file, in order; signal
    /// and exit lines ("--- SIG", "+++ exited") are not calls.
    private func syscalls(inTrace path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard let open = line.firstIndex(of: "("), line.first?.isLetter == true else { return nil }
            return String(line[...open])
        }
    }

    /// perf stat -x, output: value per event name.
    private func perfCounts(_ path: String) throws -> [String: Double] {
        var counts: [String: Double] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > 2, let value = Double(fields[0]) else { continue }
            counts[String(fields[2])] = value
        }
        return counts
    }

    /// utime+stime of /proc/PID/stat in ns.
    private func cpuNs(ofProcess pid: Int32, ticksPerSecond: Int) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let afterComm = try XCTUnwrap(stat.range(of: ")", options: .backwards)).upperBound
        // Fields from 3 (state) on; utime and stime are fields 14 and 15.
        let fields = stat[afterComm...].split(separator: " ")
        let ticks = try XCTUnwrap(Int(fields[11])) + XCTUnwrap(Int(fields[12]))
        return ticks * (1_000_000_000 / ticksPerSecond)
    }

    private func procIO(ofProcess pid: Int32) throws -> [String: Int] {
        var figures: [String: Int] = [:]
        for line in try String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: ":")
            if parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                figures[String(parts[0])] = value
            }
        }
        return figures
    }
}
