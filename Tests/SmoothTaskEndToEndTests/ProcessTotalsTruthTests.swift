import Foundation
import XCTest

/// Issue 13's ground truth: what SmoothTask says processes cost, lifetime totals and exited ones
/// included, against what the kernel told their parents (rusage), /proc and loads of known size.
final class ProcessTotalsTruthTests: XCTestCase {
    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    private static func number(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }

    /// 500 processes living 2-50 ms each, all inside a few seconds: every one is listed by pid and
    /// name after it exited, their CPU totals add up to the parent's RUSAGE_CHILDREN within 2% and
    /// their syscalls to the known count within 0.5%, and their exits land in the windows.
    func testFiveHundredShortLivedProcessesAreEachCountedByName() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "2s"])
        try daemon.waitForNextCollection()
        let storm = try ShortLivedStorm.run(children: 500, syscalls: 1000)
        try daemon.waitForNextCollection()

        let exited = try daemon.call("processes.exited", ["limit": 1000])
        let rows = try XCTUnwrap(exited["processes"] as? [[String: Any]])
        let children = Set(storm.children)
        let ours = rows.filter { children.contains(Int32(Self.number($0["pid"]))) }
        let cpu = ours.reduce(0.0) { $0 + Self.number(($1["totals"] as? [String: Any])?["cpu_time_ns"]) }
        let syscalls = ours.reduce(0.0) { $0 + Self.number(($1["totals"] as? [String: Any])?["syscalls"]) }
        let list = try XCTUnwrap(exited["list"] as? [String: Any])
        let cpuError = cpu / Double(storm.childrenCpuNs) - 1
        let syscallError = syscalls / Double(try XCTUnwrap(storm.knownSyscalls)) - 1
        print(String(
            format: "500 short-lived processes in %.2f s: %d listed; CPU %.1f ms vs RUSAGE_CHILDREN %.1f ms (%+.2f%%); "
                + "syscalls %.0f vs known %d (%+.3f%%); list %@",
            Double(storm.endMs - storm.startMs) / 1000, ours.count, cpu / 1e6, Double(storm.childrenCpuNs) / 1e6, cpuError * 100,
            syscalls, storm.knownSyscalls ?? 0, syscallError * 100, "\(list)"
        ))
        XCTAssertEqual(ours.count, storm.children.count, "every child is listed after it exited")
        XCTAssertTrue(ours.allSatisfy { $0["comm"] as? String == storm.comm && $0["state"] as? String == "exited" })
        XCTAssertTrue(ours.allSatisfy { Self.number($0["exit_code"]) == 0 && Self.number($0["ppid"]) > 0 })
        XCTAssertTrue(ours.allSatisfy { ($0["totals"] as? [String: Any])?["since"] as? String == "process_start" })
        XCTAssertEqual(cpuError, 0, accuracy: 0.02)
        XCTAssertEqual(syscallError, 0, accuracy: 0.005)
        XCTAssertEqual(Self.number(list["dropped"]), 0, "no exit record lost")
    }

    /// A process that worked and went idle keeps its totals: CPU against its own getrusage within 1%
    /// (or 20 ms), syscalls against its exact count, a 64 MiB O_DIRECT write and a 50 MB loopback
    /// transfer within 1%; read while it idles and again after it exited.
    func testTotalsOfAnIdleProcessMatchProcAndSurviveItsExit() throws {
        let daemon = try DaemonProcess()
        let scratch = daemon.directory
        let odirectBytes = 64 << 20, loopbackBytes = 50_000_000
        let worker = try IdleWorker(
            cpuMs: 300, syscalls: 100_000, odirect: try LoadTool.diskBackedFile(near: scratch), odirectBytes: odirectBytes,
            sendLoopback: loopbackBytes, handshake: true
        )
        let pid = try XCTUnwrap(worker.readyPid)
        try daemon.waitForNextCollection()
        let before = try totals(of: pid, daemon)
        let sectorsBefore = try BlockDeviceStatistics.sectorsWritten()
        let report = try worker.report()
        // "A finished write": finished when the disk has it, which can be later than fsync's return.
        try BlockDeviceStatistics.waitForWritten(UInt64(odirectBytes), since: sectorsBefore)
        // Idle for two collections: the totals must not depend on the process still being busy.
        try daemon.waitForNextCollection()
        try daemon.waitForNextCollection()
        let idle = try totals(of: pid, daemon)
        let receiver = try XCTUnwrap(report.receiverPid)
        let receiverIdle = try totals(of: receiver, daemon)

        func check(_ totals: [String: Any], _ receiverTotals: [String: Any], _ moment: String) {
            let cpu = Self.number(totals["cpu_time_ns"])
            let syscalls = Self.number(totals["syscalls"]) - Self.number(before["syscalls"])
            let written = Self.number(totals["disk_write_bytes"])
            let sent = Self.number(totals["net_sent_bytes"]), received = Self.number(receiverTotals["net_received_bytes"])
            print(String(
                format: "%@: cpu %.1f ms vs getrusage %.1f ms (/proc %.1f ms); syscalls %.0f vs %d made; disk written %.0f vs %d; "
                    + "sent %.0f, received %.0f vs %d",
                moment, cpu / 1e6, Double(report.rusageCpuNs) / 1e6, Double(report.cpuNs) / 1e6, syscalls, report.syscallsMade,
                written, odirectBytes,
                sent, received, loopbackBytes
            ))
            // getrusage, not /proc/PID/stat: both come from the task clock, but /proc truncates user and
            // system time to whole ticks each, up to 20 ms short, the whole tolerance.
            XCTAssertEqual(cpu, Double(report.rusageCpuNs), accuracy: max(Double(report.rusageCpuNs) * 0.01, 20e6), "\(moment): CPU")
            XCTAssertEqual(syscalls, Double(report.syscallsMade), accuracy: Double(report.syscallsMade) * 0.005, "\(moment): syscalls")
            XCTAssertEqual(written, Double(odirectBytes), accuracy: Double(odirectBytes) * 0.01, "\(moment): disk")
            XCTAssertEqual(sent, Double(loopbackBytes), accuracy: Double(loopbackBytes) * 0.01, "\(moment): sent")
            XCTAssertEqual(received, Double(loopbackBytes), accuracy: Double(loopbackBytes) * 0.01, "\(moment): received")
        }
        check(idle, receiverIdle, "idle")

        XCTAssertEqual(worker.finish(), 0)
        try daemon.waitForNextCollection()
        let gone = try XCTUnwrap(exitedRow(pid, daemon), "the worker is listed after it exited")
        let receiverGone = try XCTUnwrap(exitedRow(receiver, daemon), "the receiver is listed after it exited")
        XCTAssertEqual(Self.number(gone["exit_code"]), 0)
        XCTAssertEqual(gone["comm"] as? String, "worker_idle")
        // The command line captured at exec: its first 128 bytes.
        XCTAssertTrue((gone["command"] as? String)?.contains("worker_idle --cpu-ms 300 --syscalls 100000") ?? false, "\(gone)")
        check(try XCTUnwrap(gone["totals"] as? [String: Any]), try XCTUnwrap(receiverGone["totals"] as? [String: Any]), "exited")
    }

    /// Every window adds up: during a loop of short compiler runs, the CPU of the live and exited
    /// processes listed for a window is the busy time the CPU program measured for it, within 2%.
    /// Processes are charged on their task clock, which leaves out time the hypervisor stole (as
    /// /proc/PID/stat does), while busy time counts it (as /proc/stat does): the window's steal share
    /// (`system.cpu_time.steal`) is taken out of busy time.
    func testWindowSumsOverLiveAndExitedProcessesEqualBusyTime() throws {
        let daemon = try DaemonProcess()
        let source = daemon.directory.appendingPathComponent("unit.c")
        try "int f(int x) { return x * 3 + 1; }\n".write(to: source, atomically: true, encoding: .utf8)
        let loop = Process()
        loop.executableURL = URL(fileURLWithPath: "/bin/sh")
        loop.arguments = ["-c", "end=$(($(date +%s) + 6)); while [ $(date +%s) -lt $end ]; do cc -c -o /dev/null \(source.path); done"]
        try loop.run()
        defer { loop.waitUntilExit() }
        try daemon.waitForNextCollection()
        var compared = 0
        for _ in 0..<4 {
            try daemon.waitForNextCollection()
            let metrics = try daemon.call("metrics.get")
            let top = try daemon.call("processes.top", ["limit": 1000])
            guard Self.number(top["timestamp"]) == Self.number(metrics["timestamp"]) else { continue }
            let rows = try XCTUnwrap(top["processes"] as? [[String: Any]])
            XCTAssertEqual(Self.number(top["matched"]), Double(rows.count), "every active process fits in one reply")
            let listed = rows.reduce(0.0) { $0 + Self.number($1["cpu_time_ns"]) }
            let exited = rows.filter { $0["state"] as? String == "exited" }.count
            let cores = Double(try XCTUnwrap(metrics["cpu_per_core"] as? [Any]).count)
            let windowNs = Self.number(metrics["window_ms"]) * 1e6
            let cpuTime = (metrics["system"] as? [String: Any])?["cpu_time"] as? [String: Any]
            let stealPercent = cpuTime.map { Self.number($0["steal"]) } ?? 0
            let stolen = stealPercent / 100 * cores * windowNs
            let busy = Self.number(metrics["cpu_usage"]) / 100 * cores * windowNs - stolen
            print(String(
                format: "window %.0f ms: %d rows (%d exited) %.1f ms CPU vs busy %.1f ms without %.1f ms stolen (%+.2f%%)",
                Self.number(metrics["window_ms"]), rows.count, exited, listed / 1e6, busy / 1e6, stolen / 1e6, (listed / busy - 1) * 100
            ))
            XCTAssertGreaterThan(exited, 0, "the compiler runs exit in every window")
            // Processes are charged on the task clock, which leaves out what the hypervisor stole;
            // /proc/stat counts steal in whole ticks at instants a little off the window's, so under
            // steal the sum lies between busy time without it and busy time with it.
            XCTAssertGreaterThanOrEqual(listed / busy, 1 - 0.02, "below busy time without steal")
            XCTAssertLessThanOrEqual(listed / (busy + stolen), 1 + 0.02, "above busy time with steal")
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 2, "windows whose metrics and process table came from one collection")
    }

    /// The live row's totals for `pid`.
    private func totals(of pid: Int32, _ daemon: DaemonProcess) throws -> [String: Any] {
        let top = try daemon.call("processes.top", ["pid": pid, "total": true])
        let row = try XCTUnwrap((top["processes"] as? [[String: Any]])?.first, "pid \(pid) not listed: \(top)")
        return try XCTUnwrap(row["totals"] as? [String: Any])
    }

    /// The recently exited row of `pid`.
    private func exitedRow(_ pid: Int32, _ daemon: DaemonProcess) throws -> [String: Any]? {
        let exited = try daemon.call("processes.exited", ["pid": pid])
        return (exited["processes"] as? [[String: Any]])?.first
    }
}
