import Foundation
import Synchronization
import SmoothTaskModel
import XCTest

/// Issue 19: `max_overhead_percent` is a promise. Under a syscall storm and a context-switch storm
/// (stress-ng) with a 0.5% budget, the daemon sheds programs until what it and its programs really
/// cost, measured from outside (its threads' on-CPU time in /proc/<pid>/task/*/schedstat plus the
/// kernel's run_time_ns of every program it holds, from /proc/<pid>/fdinfo), stays within 20% of
/// the budget; status and overhead say what was shed; the programs come back after the storm.
final class OverheadBudgetEndToEndTests: XCTestCase {
    /// The budget under test, percent of one CPU.
    static let budget = 0.5
    /// The issue's tolerance: the measured cost may exceed the budget by a fifth.
    static let tolerance = 1.2
    /// The collection interval under the storm: three seconds, so shedding acts within 20 s. The
    /// debug daemon with everything optional shed measured 0.11-0.17% of one CPU at five seconds
    /// under the storms, about 0.2-0.3% at three, within the budget with room for the programs.
    static let stormIntervalSeconds = 3.0
    /// How long the cost is measured once shedding has acted: three collections.
    static let measuredSeconds = UInt32(3 * stormIntervalSeconds)
    /// The collection interval after the storm, set as it ends: a restore needs the daemon's steady
    /// share plus every program back below 90% of the budget, and the debug daemon's share at three
    /// seconds (up to 0.3% on a loaded machine) would leave the programs no room.
    static let intervalSeconds = 5.0
    /// How long shedding may take to act: the first window (no evaluation before it), the warm-up
    /// evaluations, the collections over the budget it waits for, with two to spare.
    static let shedSeconds = Double(1 + 3 + 2 + 2) * stormIntervalSeconds
    /// How long shed programs may take to come back after the storm: the window that still holds the
    /// storm, then up to three restore rounds (each restoreAfterCollections quiet collections: the
    /// last shed come back first, as many at once as fit), with one to spare. The syscall probe
    /// reads a fresh rate at every collection while syscalls is shed.
    static let restoreSeconds = Double(1 + 3 * OverheadBudget.restoreAfterCollections + 1) * intervalSeconds
    /// One restore round, with the window it starts in and one to spare.
    static let restoreRoundSeconds = Double(1 + OverheadBudget.restoreAfterCollections + 1) * intervalSeconds

    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF and root to switch bpf_stats: run the suite as root")
        }
        guard FileManager.default.isExecutableFile(atPath: Self.stressNG) else {
            throw XCTSkip("needs stress-ng for the storms: `make deps` installs it (Makefile APT_PACKAGES)")
        }
    }

    static let stressNG = "/usr/bin/stress-ng"

    /// The test watches the daemon through its log while it measures or waits for a restore: a
    /// request costs the debug daemon 4-5 ms of CPU (`overhead`, `status`), 0.1% of one CPU at one
    /// per 5 s collection, a fifth of the budget, which the daemon would rightly count as its own.
    func testStormsAreShedWithinTheBudgetAndComeBackAfterwards() throws {
        let testStarted = Date()
        // The ground truth: the kernel counts every program's run time only while this is on.
        let previous = try BPFStatsSysctl.write(1)
        defer { _ = try? BPFStatsSysctl.write(previous) }
        // The storm runs from before the daemon starts: the warm-up windows hold it already.
        let storm = try SpawnedProcess([Self.stressNG, "--get", "1", "--switch", "1", "--timeout", "300s", "--quiet"])
        defer { storm.terminate() }
        // A debug build's collection costs about 10-20 ms of CPU (a release build's about a third).
        let daemon = try DaemonProcess(extraArguments: ["--interval", "\(Int(Self.stormIntervalSeconds))s"], overheadBudget: Self.budget)
        defer { _ = daemon.stop() }

        XCTAssertTrue(
            daemon.waitForLog("Overhead budget: eBPF object shed", seconds: Self.shedSeconds),
            "nothing was shed under the storms in \(Self.shedSeconds) s:\n\(daemon.log)"
        )
        // Every object shed in that evaluation is logged and detached before the next collection.
        sleep(1)
        let shed = Self.shedNow(in: daemon.log)
        XCTAssertFalse(shed.isEmpty, daemon.log)
        let shedAfter = Date().timeIntervalSince(testStarted)

        let before = try Self.cost(of: daemon.pid)
        sleep(Self.measuredSeconds)
        let after = try Self.cost(of: daemon.pid)
        let wallSeconds = Double(after.atNanoseconds - before.atNanoseconds) / 1e9
        let daemonPercent = Double(Self.growth(before.daemonNanoseconds, after.daemonNanoseconds)) / 1e9 / wallSeconds * 100
        let programsPercent = Double(Self.growth(before.programNanoseconds, after.programNanoseconds)) / 1e9 / wallSeconds * 100
        let stormReport = try Self.budget(of: daemon)
        XCTAssertEqual(stormReport["limit_percent"] as? Double, Self.budget)
        print(String(
            format: "storm: shed %@ after %.1f s; measured daemon %.3f%% + programs %.3f%% = %.3f%% of one CPU over %.1f s "
                + "(budget %.2f%%, limit with tolerance %.2f%%); daemon's estimate %.3f%%",
            shed.joined(separator: ", "), shedAfter, daemonPercent, programsPercent, daemonPercent + programsPercent, wallSeconds,
            Self.budget, Self.budget * Self.tolerance, stormReport["estimate_percent"] as? Double ?? -1
        ))
        XCTAssertLessThanOrEqual(
            daemonPercent + programsPercent, Self.budget * Self.tolerance,
            "the daemon and its programs cost more than the budget allows: \(stormReport)"
        )

        // What was shed is said in status, in overhead, in the figures and in the log.
        XCTAssertEqual(Set(Self.shedObjects(stormReport)), Set(shed), "\(stormReport)\n\(daemon.log)")
        let status = try daemon.controlJSON(["status"])
        let statusBudget = try XCTUnwrap((status["overhead"] as? [String: Any])?["budget"] as? [String: Any], "\(status)")
        XCTAssertEqual(Set(Self.shedObjects(statusBudget)), Set(Self.shedObjects(stormReport)))
        let programs = try XCTUnwrap((status["ebpf"] as? [String: Any])?["programs"] as? [[String: Any]])
        for object in Self.shedObjects(stormReport) {
            let program = try XCTUnwrap(programs.first { $0["name"] as? String == object }, "\(programs)")
            XCTAssertEqual(program["attached"] as? Bool, false, "\(program)")
            XCTAssertTrue((program["detail"] as? String)?.contains("shed by the overhead budget") == true, "\(program)")
        }
        if Self.shedObjects(stormReport).contains("syscalls") {
            let metrics = try daemon.controlJSON(["metrics"])
            XCTAssertTrue(metrics["syscall_count"] is NSNull, "a shed metric must be null: \(metrics["syscall_count"] ?? "absent")")
            let reason = (metrics["unavailable"] as? [String: String])?["syscall_count"] ?? ""
            XCTAssertTrue(reason.contains("shed by the overhead budget"), "unavailable says: \(reason)")
        }
        let human = try daemon.control(["overhead"])
        XCTAssertTrue(human.stdout.contains("shed "), human.stdout)

        // After the storm the programs come back, the last shed first, as the estimate with them stays low.
        let slower = try daemon.control(["config", "set", "collection_interval_ms=\(Int(Self.intervalSeconds * 1000))"])
        XCTAssertEqual(slower.status, 0, slower.stderr)
        _ = storm.terminate()
        let stormEnded = Date()
        let atTheBudget = try Self.waitForRestoreAtTheBudget(daemon, seconds: Self.restoreSeconds)
        var stillShed = atTheBudget.stillShed
        let quiet = atTheBudget.report
        let restoreSeconds = Date().timeIntervalSince(stormEnded)
        print(String(format: "after the storm at %.2f%%: ", Self.budget)
            + (stillShed.isEmpty ? String(format: "everything back in %.1f s", restoreSeconds) : "still shed after \(Int(restoreSeconds)) s: \(stillShed)")
            + String(format: "; estimate %.3f%% (daemon %.3f%%, programs %.3f%%)", quiet["estimate_percent"] as? Double ?? -1,
                     quiet["daemon_percent"] as? Double ?? -1, quiet["programs_percent"] as? Double ?? -1))
        if !stillShed.isEmpty {
            // The machine itself may be busy enough (other builds' page faults and switches) that an
            // object honestly does not fit a 0.5% budget: the daemon's own figures say so (the
            // estimate it would come back at, against the restore line), and a larger budget brings it back.
            let line = Self.budget * OverheadBudget.restoreFraction
            for entry in quiet["shed"] as? [[String: Any]] ?? [] {
                let object = entry["object"] as? String ?? "?"
                let comeBackAt = try XCTUnwrap(entry["restore_estimate_percent"] as? Double, "\(entry)")
                print(String(format: "  %@ would come back at an estimate of %.3f%% (restore line %.3f%%); ", object, comeBackAt, line)
                    + Self.projection(quiet, of: [object]))
            }
            if !daemon.log.contains("Overhead budget: eBPF object restored") {
                // Nothing came back at the budget: the daemon's figures must say the next one does not fit.
                let next = try XCTUnwrap((quiet["shed"] as? [[String: Any]])?.last?["restore_estimate_percent"] as? Double, "\(quiet)")
                XCTAssertGreaterThanOrEqual(next, line, "nothing came back though the next fits by the daemon's figures: \(quiet)\n\(daemon.log)")
            }
            let raise = try daemon.control(["config", "set", "max_overhead_percent=5"])
            XCTAssertEqual(raise.status, 0, raise.stderr)
            stillShed = Self.waitForRestore(daemon, seconds: Self.restoreRoundSeconds)
        }
        let finalReport = try Self.budget(of: daemon)
        XCTAssertEqual(stillShed, [], "still shed after the storm: \(finalReport)\n\(daemon.log)")
        XCTAssertEqual(Self.shedObjects(finalReport), [], "\(finalReport)")
        let statusAfter = try XCTUnwrap((try daemon.controlJSON(["status"])["ebpf"] as? [String: Any])?["programs"] as? [[String: Any]])
        for object in shed {
            XCTAssertEqual(statusAfter.first { $0["name"] as? String == object }?["attached"] as? Bool, true, "\(object): \(statusAfter)")
        }
        print(String(format: "budget storm test: %.1f s", Date().timeIntervalSince(testStarted)))
    }

    func testTheDefaultBudgetIsReportedWithEveryFiguresSourceAndExported() throws {
        let daemon = try DaemonProcess(overheadBudget: nil)
        defer { _ = daemon.stop() }
        let endpoint = daemon.directory.appendingPathComponent("metrics.sock").path
        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=\(endpoint)"]).status, 0)
        let deadline = Date().addingTimeInterval(30)
        // Rates from kernel counters need two readings: the second report on.
        func cpuRate() throws -> Double? {
            let programs = try daemon.controlJSON(["overhead"])["budget"].flatMap { ($0 as? [String: Any])?["programs"] as? [[String: Any]] }
            return programs?.first { ($0["name"] as? String)?.hasPrefix("cpu_metrics/") == true }?["events_per_s"] as? Double
        }
        while try cpuRate() == nil, Date() < deadline { sleep(1) }
        let budget = try Self.budget(of: daemon)

        XCTAssertEqual(budget["limit_percent"] as? Double, 1, "default max_overhead_percent")
        let daemonShare = try XCTUnwrap(budget["daemon_percent"] as? Double)
        let programsShare = try XCTUnwrap(budget["programs_percent"] as? Double)
        XCTAssertEqual(try XCTUnwrap(budget["estimate_percent"] as? Double), daemonShare + programsShare, accuracy: 1e-9)
        let programs = try XCTUnwrap(budget["programs"] as? [[String: Any]])
        XCTAssertFalse(programs.isEmpty)
        for program in programs {
            // Every figure says where it comes from; one with a rate and a cost has its share.
            XCTAssertTrue(["measured", "calibrated", "bench", "unknown"].contains(program["cost_source"] as? String ?? ""), "\(program)")
            XCTAssertFalse((program["rate_source"] as? String ?? "").isEmpty, "\(program)")
            if let rate = program["events_per_s"] as? Double, let cost = program["ns_per_event"] as? Double {
                XCTAssertEqual(try XCTUnwrap(program["percent"] as? Double), rate * cost / 1e9 * 100, accuracy: 1e-9, "\(program)")
            }
        }
        let cpuRow = try XCTUnwrap(programs.first { ($0["name"] as? String)?.hasPrefix("cpu_metrics/") == true }, "\(programs)")
        XCTAssertNotNil(cpuRow["events_per_s"] as? Double, "sched_switch's rate comes from /proc/stat ctxt: \(cpuRow)")
        print("default budget: estimate \(budget["estimate_percent"] ?? "?")% (daemon \(daemonShare)%, programs \(programsShare)%); "
            + "cost sources: \(Dictionary(grouping: programs, by: { $0["cost_source"] as? String ?? "?" }).mapValues(\.count))")

        let scrape = try ExpositionScrape.scrape(endpoint, format: "prometheus")
        XCTAssertEqual(try scrape.value("smoothtask_overhead_budget_ratio"), 0.01)
        XCTAssertGreaterThan(try scrape.value("smoothtask_overhead_estimate_ratio", ["part": "daemon"]), 0)
        XCTAssertGreaterThanOrEqual(try scrape.value("smoothtask_overhead_shed", ["object": "syscalls"]), 0)
    }

    /// A local user who keeps asking cannot make the daemon shed its programs: the CPU of answering
    /// clients is not the daemon's share of the budget (shedding cannot reduce it). With a 10% budget,
    /// which the programs' own cost under this load stays well under, two connections asking for
    /// `overhead` back to back for four collections take the daemon's CPU over the budget, and
    /// nothing is shed.
    func testClientsKeepingTheDaemonBusyDoNotShedPrograms() throws {
        let budgetPercent = 10.0
        let daemon = try DaemonProcess(overheadBudget: budgetPercent)
        defer { _ = daemon.stop() }
        // Windows without clients first: they tell the daemon what its monitoring costs in all
        // (start-up, then the warm-up collections); no request until the flood.
        sleep(5)
        let request = Data(#"{"jsonrpc":"2.0","id":1,"method":"overhead","params":{}}"#.utf8)
        let stop = Date().addingTimeInterval(4)
        let group = DispatchGroup()
        let calls = Mutex(0)
        for _ in 0..<2 {
            let socketPath = daemon.socketPath
            DispatchQueue.global().async(group: group) {
                guard let connection = try? RawConnection(path: socketPath) else { return }
                var made = 0
                while Date() < stop, (try? connection.send(request)) != nil, (try? connection.receive()) != nil { made += 1 }
                calls.withLock { $0 += made }
            }
        }
        group.wait()
        let overhead = try daemon.controlJSON(["overhead"])
        let budget = try XCTUnwrap(overhead["budget"] as? [String: Any], "\(overhead)")
        let whole = try XCTUnwrap(overhead["cpu_percent"] as? Double)
        let share = try XCTUnwrap(budget["daemon_percent"] as? Double)
        print("\(calls.withLock { $0 }) overhead calls in 4 s: the daemon used \(whole)% of one CPU over the last window, "
            + "its budget share \(share)%, the estimate \(budget["estimate_percent"] ?? "?")%")
        XCTAssertGreaterThan(whole, budgetPercent, "the flood did not take the daemon over the budget: the test shows nothing")
        XCTAssertLessThan(share, budgetPercent, "the daemon's budget share counted its answers to clients")
        XCTAssertEqual(Self.shedObjects(budget), [], "answering clients shed programs")
        XCTAssertFalse(daemon.log.contains("eBPF object shed"), "answering clients shed programs: \(daemon.log)")
    }

    /// With no limit the governor evaluates only when a caller reads its report (issue 17: an idle
    /// tick spent 7% of its collection thread on it); the report must mean what it does with a limit:
    /// the latest collection's window, rates from the kernel's counters, and it is exported.
    func testWithoutALimitTheBudgetIsStillReportedOverTheLatestWindow() throws {
        let interval = 250
        let daemon = try DaemonProcess(extraArguments: ["--interval", "\(interval)ms"], overheadBudget: 0)
        defer { _ = daemon.stop() }
        let endpoint = daemon.directory.appendingPathComponent("metrics.sock").path
        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=\(endpoint)"]).status, 0)
        let deadline = Date().addingTimeInterval(20)
        func cpuRow() throws -> [String: Any]? {
            let programs = try daemon.controlJSON(["overhead"])["budget"].flatMap { ($0 as? [String: Any])?["programs"] as? [[String: Any]] }
            return programs?.first { ($0["name"] as? String)?.hasPrefix("cpu_metrics/") == true && $0["events_per_s"] is Double }
        }
        while try cpuRow() == nil, Date() < deadline { usleep(500_000) }
        XCTAssertNotNil(try cpuRow(), "sched_switch's rate comes from /proc/stat ctxt between two reports")
        // Several collections pass unevaluated; the report then covers the latest one, not the time since the last ask.
        sleep(2)
        let budget = try Self.budget(of: daemon)
        XCTAssertEqual(budget["limit_percent"] as? Double, 0)
        let window = try XCTUnwrap(budget["window_ms"] as? Int)
        XCTAssertLessThan(window, 4 * interval, "one collection's window, not everything since the previous report: \(budget)")
        XCTAssertGreaterThan(window, 0)
        let daemonShare = try XCTUnwrap(budget["daemon_percent"] as? Double)
        let programsShare = try XCTUnwrap(budget["programs_percent"] as? Double)
        XCTAssertEqual(try XCTUnwrap(budget["estimate_percent"] as? Double), daemonShare + programsShare, accuracy: 1e-9)
        XCTAssertEqual((budget["shed"] as? [Any])?.count, 0, "nothing is shed without a limit: \(budget)")
        print("budget without a limit: window \(window) ms, estimate \(budget["estimate_percent"] ?? "?")%")

        let scrape = try ExpositionScrape.scrape(endpoint, format: "prometheus")
        XCTAssertEqual(try scrape.value("smoothtask_overhead_budget_ratio"), 0)
        XCTAssertGreaterThanOrEqual(try scrape.value("smoothtask_overhead_estimate_ratio", ["part": "daemon"]), 0)
    }

    // MARK: - Helpers

    private static func budget(of daemon: DaemonProcess) throws -> [String: Any] {
        let overhead = try daemon.controlJSON(["overhead"])
        return try XCTUnwrap(overhead["budget"] as? [String: Any], "overhead has no budget: \(overhead)")
    }

    private static func shedObjects(_ budget: [String: Any]) -> [String] {
        (budget["shed"] as? [[String: Any]] ?? []).compactMap { $0["object"] as? String }
    }

    /// Each still-shed object's projected share, as the daemon reports it.
    private static func projection(_ budget: [String: Any], of objects: [String]) -> String {
        let rows = budget["programs"] as? [[String: Any]] ?? []
        return objects.map { object in
            let share = rows.filter { $0["object"] as? String == object }.compactMap { $0["percent"] as? Double }.reduce(0, +)
            return String(format: "%@ would cost %.3f%%", object, share)
        }.joined(separator: ", ")
    }

    /// Waits up to `seconds` for every shed object to come back at the budget under test, by the log,
    /// asking the daemon's figures once per restore round after the first (`overhead` costs the debug
    /// daemon 4-5 ms; once in restoreAfterCollections windows it leaves the median share a restore
    /// weighs untouched). Stops early when a whole round passed with nothing back and the next object
    /// over the restore line at both ends of it, by the daemon's own figures: it honestly does not
    /// fit, and waiting longer proves nothing. Returns what is still shed and the latest figures.
    private static func waitForRestoreAtTheBudget(_ daemon: DaemonProcess, seconds: TimeInterval) throws -> (stillShed: [String], report: [String: Any]) {
        let started = Date()
        let round = Double(OverheadBudget.restoreAfterCollections) * intervalSeconds
        var nextCheck = started.addingTimeInterval(intervalSeconds + round)
        var previous: (shed: [String], over: Bool)?
        while true {
            let remaining = min(nextCheck, started.addingTimeInterval(seconds)).timeIntervalSinceNow
            let stillShed = waitForRestore(daemon, seconds: max(0, remaining))
            let report = try budget(of: daemon)
            guard !stillShed.isEmpty, Date().timeIntervalSince(started) < seconds else { return (stillShed, report) }
            let line = (report["limit_percent"] as? Double ?? budget) * OverheadBudget.restoreFraction
            let next = (report["shed"] as? [[String: Any]])?.last?["restore_estimate_percent"] as? Double
            let over = next.map { $0 >= line } ?? false
            if let previous, previous.shed == stillShed, previous.over, over { return (stillShed, report) }
            previous = (stillShed, over)
            nextCheck = Date().addingTimeInterval(round)
        }
    }

    /// Waits up to `seconds` for every shed object to come back, by the log; returns those still shed.
    private static func waitForRestore(_ daemon: DaemonProcess, seconds: TimeInterval) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var stillShed = shedNow(in: daemon.log)
        while !stillShed.isEmpty, Date() < deadline {
            usleep(250_000)
            stillShed = shedNow(in: daemon.log)
        }
        return stillShed
    }

    /// The objects shed now by the daemon's log: those whose latest shed or restore line is a shed.
    private static func shedNow(in log: String) -> [String] {
        var shed: [String] = []
        for line in log.split(separator: "\n") {
            let restored = line.contains("Overhead budget: eBPF object restored")
            guard restored || line.contains("Overhead budget: eBPF object shed"),
                let range = line.range(of: "object=")
            else { continue }
            let object = String(line[range.upperBound...].prefix { $0 != " " })
            shed.removeAll { $0 == object }
            if !restored { shed.append(object) }
        }
        return shed
    }

    /// What each counter grew by between two readings; a counter new in `after` counts whole.
    private static func growth(_ before: [String: UInt64], _ after: [String: UInt64]) -> UInt64 {
        after.reduce(0) { sum, entry in
            let (key, value) = entry
            return sum + (value >= (before[key] ?? 0) ? value - (before[key] ?? 0) : 0)
        }
    }

    /// Each daemon thread's on-CPU nanoseconds (by tid) and each of its programs' kernel run time
    /// (by prog_id), now. Per thread, since a thread that ends takes its time out of a plain sum.
    private static func cost(of pid: Int32) throws -> (
        daemonNanoseconds: [String: UInt64], programNanoseconds: [String: UInt64], atNanoseconds: UInt64
    ) {
        var daemon: [String: UInt64] = [:]
        for task in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                let onCPU = text.split(separator: " ").first.flatMap({ UInt64($0) })
            else { continue }
            daemon[task] = onCPU
        }
        // Every program the daemon holds a descriptor of, the rate probe included, once each.
        var runTimes: [String: UInt64] = [:]
        for descriptor in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fdinfo") {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(descriptor)", encoding: .utf8) else { continue }
            var fields: [Substring: Substring] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { fields[parts[0]] = parts[1].drop { $0 == " " || $0 == "\t" } }
            }
            guard let id = fields["prog_id"], let runTime = fields["run_time_ns"].flatMap({ UInt64($0) }) else { continue }
            runTimes[String(id)] = runTime
        }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return (daemon, runTimes, UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec))
    }
}
