import Foundation
import XCTest

/// `smoothtaskctl top`, `top --total`, `top --exited` and `status` against a real daemon, with real
/// short-lived children this test starts: every process that ran is shown by name with its cost.
final class ExitedProcessesEndToEndTests: XCTestCase {
    /// How long an exit may take to reach `processes.exited`: the record is drained at the next
    /// collection (1 s by default), so a few intervals are plenty even on a loaded machine.
    static let exitArrivalSeconds: TimeInterval = 15
    /// A shell loop that burns about a fifth of a second of CPU (more on a slow machine), so its
    /// process stands out by CPU without a dependency beyond /bin/sh.
    static let busyLoop = "i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done"

    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    func testTopExitedListsShortLivedChildrenWithExitCodeAndSignal() throws {
        let daemon = try DaemonProcess()
        try requireLifecycleProgram(daemon)

        let exits3 = try SpawnedProcess(["/bin/sh", "-c", "exit 3"])
        let exitStatus = exits3.waitForExit()
        XCTAssertEqual((exitStatus >> 8) & 0xff, 3, "the child itself should have exited 3")
        let killed = try SpawnedProcess(["/bin/sleep", "30"])
        usleep(50_000)  // let it exec, so the kernel's name for it is sleep
        kill(killed.pid, SIGKILL)
        XCTAssertEqual(killed.waitForExit() & 0x7f, SIGKILL)

        let codeRow = try waitForExitedRow(daemon, pid: exits3.pid)
        XCTAssertEqual(codeRow["comm"] as? String, "sh")
        XCTAssertEqual(codeRow["exit_code"] as? Int, 3)
        XCTAssertTrue(codeRow["exit_signal"] is NSNull, "\(codeRow)")
        XCTAssertEqual(codeRow["ppid"] as? Int, Int(getpid()), "the parent is this test")
        XCTAssertEqual(codeRow["state"] as? String, "exited")
        let totals = try XCTUnwrap(codeRow["totals"] as? [String: Any], "\(codeRow)")
        XCTAssertGreaterThan(totals["syscalls"] as? Int ?? 0, 0, "a process that ran made syscalls: \(totals)")
        XCTAssertEqual(totals["since"] as? String, "process_start")

        let signalRow = try waitForExitedRow(daemon, pid: killed.pid)
        XCTAssertEqual(signalRow["comm"] as? String, "sleep")
        XCTAssertEqual(signalRow["exit_signal"] as? Int, Int(SIGKILL))
        XCTAssertTrue(signalRow["exit_code"] is NSNull, "\(signalRow)")

        // The text view, unfiltered: both children on their own lines, named, with how they ended.
        // 500 rows, not the 10,000 the query allows: on a busy machine 10,000 rows of JSON exceed
        // the 1 MiB frame limit and the daemon's reply is refused by the client.
        let list = try daemon.control(["top", "--exited", "--limit", "500"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let codeLine = try XCTUnwrap(line(of: exits3.pid, in: list.stdout), list.stdout)
        XCTAssertTrue(codeLine.contains(" sh ") && codeLine.contains("code 3"), codeLine)
        XCTAssertTrue(codeLine.contains(" \(getpid()) "), "ppid column: \(codeLine)")
        let signalLine = try XCTUnwrap(line(of: killed.pid, in: list.stdout), list.stdout)
        XCTAssertTrue(signalLine.contains(" sleep ") && signalLine.contains("SIGKILL"), signalLine)
        XCTAssertNotNil(signalLine.range(of: #"\d+:\d\d:\d\d\.\d\d"#, options: .regularExpression), "TIME+ column: \(signalLine)")
        print("top --exited:\n" + list.stdout.split(separator: "\n").prefix(2).joined(separator: "\n") + "\n\(codeLine)\n\(signalLine)")

        // Sorted by another total, and filtered by the command line.
        let byCPU = try daemon.controlJSON(["top", "--exited", "--sort", "cpu", "--limit", "500"])
        let cpuTotals = (byCPU["processes"] as? [[String: Any]] ?? []).map { ($0["totals"] as? [String: Any])?["cpu_time_ns"] as? Int ?? 0 }
        XCTAssertEqual(cpuTotals, cpuTotals.sorted(by: >), "--sort cpu orders by total CPU, largest first")
        let filtered = try daemon.controlJSON(["top", "--exited", "--comm", "exit 3"])
        XCTAssertTrue((filtered["processes"] as? [[String: Any]] ?? []).contains { $0["pid"] as? Int == Int(exits3.pid) }, "\(filtered)")

        let status = try daemon.control(["status"])
        let exitedLine = try XCTUnwrap(status.stdout.split(separator: "\n").first { $0.hasPrefix("Exited:") }, status.stdout)
        XCTAssertTrue(exitedLine.contains("of 10,000 recently exited kept") && exitedLine.contains("exits seen"), String(exitedLine))
        print(exitedLine)
    }

    func testTopTotalSortsByLifetimeTotalsAndFindsAnIdleProcess() throws {
        let daemon = try DaemonProcess()
        try requireLifecycleProgram(daemon)
        // Works, then sleeps: invisible to the window view once idle, first-class in --total.
        let worker = try SpawnedProcess(["/bin/sh", "-c", Self.busyLoop + "; exec /bin/sleep 30"])
        defer { worker.terminate() }
        let deadline = Date().addingTimeInterval(Self.exitArrivalSeconds)
        var row: [String: Any]?
        while Date() < deadline {
            // Idle once it runs sleep: its comm says so.
            let found = try daemon.controlJSON(["top", "--total", "--pid", String(worker.pid)])
            if let candidate = (found["processes"] as? [[String: Any]])?.first, candidate["comm"] as? String == "sleep" {
                row = candidate
                break
            }
            usleep(200_000)
        }
        let idle = try XCTUnwrap(row, "the worker never showed up in top --total as sleep")
        XCTAssertEqual(idle["state"] as? String, "live")
        let totals = try XCTUnwrap(idle["totals"] as? [String: Any])
        let cpu = totals["cpu_time_ns"] as? Int ?? 0
        XCTAssertGreaterThan(cpu, 10_000_000, "the busy loop used CPU before it went idle: \(totals)")
        XCTAssertEqual(totals["since"] as? String, "process_start", "it started after the daemon: its whole life is counted")
        print("idle worker: \(cpu / 1_000_000) ms CPU, \(totals["syscalls"] ?? "?") syscalls in all")

        for sort in ["cpu", "syscalls", "faults"] {
            let key = ["cpu": "cpu_time_ns", "syscalls": "syscalls", "faults": "user_faults"][sort]!
            let top = try daemon.controlJSON(["top", "--total", "--sort", sort, "--limit", "50"])
            let figures = (top["processes"] as? [[String: Any]] ?? []).map { ($0["totals"] as? [String: Any])?[key] as? Int ?? 0 }
            XCTAssertGreaterThan(figures.count, 1, "\(top)")
            XCTAssertEqual(figures, figures.sorted(by: >), "top --total --sort \(sort) orders by totals.\(key)")
        }
        let text = try daemon.control(["top", "--total", "--pid", String(worker.pid)])
        let workerLine = try XCTUnwrap(line(of: worker.pid, in: text.stdout), text.stdout)
        XCTAssertNotNil(workerLine.range(of: #" 0:00:\d\d\.\d\d "#, options: .regularExpression), "TIME+ without *: \(workerLine)")
        XCTAssertTrue(workerLine.hasSuffix(" sleep"), workerLine)
        print(text.stdout)
    }

    func testTopMarksAProcessThatExitedInTheWindow() throws {
        let daemon = try DaemonProcess()
        try requireLifecycleProgram(daemon)
        let worker = try SpawnedProcess(["/bin/sh", "-c", Self.busyLoop + "; exit 7"])
        worker.waitForExit()
        // Its row lives for one window (the one it exited in): poll the text view until then.
        let deadline = Date().addingTimeInterval(Self.exitArrivalSeconds)
        var found: String?
        var last = ""
        while Date() < deadline, found == nil {
            let top = try daemon.control(["top", "--comm", "sh", "--limit", "1000"])
            XCTAssertEqual(top.status, 0, top.stderr)
            last = top.stdout
            found = line(of: worker.pid, in: top.stdout)
            if found == nil { usleep(100_000) }
        }
        let row = try XCTUnwrap(found, "pid \(worker.pid) never listed by top; last output:\n\(last)")
        XCTAssertTrue(row.hasSuffix(" sh [exited: code 7]"), row)
        print(row)

        // --no-exited leaves such rows out, and asking for both is a usage error.
        let live = try daemon.controlJSON(["top", "--no-exited", "--limit", "1000"])
        XCTAssertFalse((live["processes"] as? [[String: Any]] ?? []).contains { $0["state"] as? String == "exited" }, "\(live)")
        let both = try daemon.control(["top", "--exited", "--no-exited"])
        XCTAssertEqual(both.status, 64, both.stderr)
        XCTAssertTrue(both.stderr.contains("--exited") && both.stderr.contains("--no-exited"), both.stderr)
        let badSort = try daemon.control(["top", "--exited", "--sort", "rss"])
        XCTAssertEqual(badSort.status, 64, badSort.stderr)
        XCTAssertTrue(badSort.stderr.contains("exit_time"), "the error lists the sorts: \(badSort.stderr)")
    }

    /// Skips unless the exit program is attached (it needs BTF and tp_btf/sched_process_exit).
    private func requireLifecycleProgram(_ daemon: DaemonProcess) throws {
        let status = try daemon.controlJSON(["status"])
        let programs = (status["ebpf"] as? [String: Any])?["programs"] as? [[String: Any]] ?? []
        guard let lifecycle = programs.first(where: { $0["name"] as? String == "process_lifecycle" }) else {
            throw XCTSkip("this daemon has no process_lifecycle program: \(programs.map { $0["name"] ?? "?" })")
        }
        guard lifecycle["attached"] as? Bool == true else {
            throw XCTSkip("process_lifecycle is not attached here: \(lifecycle["detail"] ?? "no detail")")
        }
    }

    /// Polls `top --exited --pid` until the exit of `pid` has reached the daemon.
    private func waitForExitedRow(_ daemon: DaemonProcess, pid: pid_t) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(Self.exitArrivalSeconds)
        while Date() < deadline {
            let result = try daemon.controlJSON(["top", "--exited", "--pid", String(pid)])
            if let row = (result["processes"] as? [[String: Any]])?.first { return row }
            usleep(100_000)
        }
        throw NotListed(pid: pid, list: try daemon.control(["top", "--exited", "--limit", "50"]).stdout, log: daemon.log)
    }

    struct NotListed: Error, CustomStringConvertible {
        let pid: pid_t
        let list: String
        let log: String
        var description: String { "pid \(pid) not in processes.exited after \(exitArrivalSeconds) s:\n\(list)\ndaemon log:\n\(log)" }
    }

    /// The line of a table whose first column is `pid`.
    private func line(of pid: pid_t, in table: String) -> String? {
        table.split(separator: "\n").first { $0.split(separator: " ").first == Substring(String(pid)) }.map(String.init)
    }
}
