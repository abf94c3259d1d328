import Foundation
import SmoothTaskCollectors
import SmoothTaskModel
import XCTest

/// Issue 18: `smoothtaskctl call`, the rough edges of the other commands, and the pmstat basics of
/// `status`, against the real daemon and the real CLI.
final class CommandLineEndToEndTests: XCTestCase {
    private static let nobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    override func setUpWithError() throws {
        try Binaries.requireBuilt()
    }

    private func requireRoot() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    private func control(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(Binaries.control, arguments)
    }

    func testCallPrintsAnyMethodsRawResultAndExitsAsTheOtherCommandsDo() throws {
        try requireRoot()
        let daemon = try DaemonProcess()
        let status = try daemon.control(["call", "status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(object["metrics"] as? [String: Any], status.stdout)
        XCTAssertEqual(object["protocol_version"] as? Int, 1)

        let top = try daemon.control(["call", "processes.top", #"{"sort":"syscalls","limit":2}"#])
        XCTAssertEqual(top.status, 0, top.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(top.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(rows["sort"] as? String, "syscalls")
        XCTAssertLessThanOrEqual(try XCTUnwrap(rows["processes"] as? [Any]).count, 2)

        let refused = try daemon.control(["call", "config.set", #"{"collection_interval_ms":1}"#])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stdout.isEmpty, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("collection_interval_ms must be 10...3600000"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("JSON-RPC error -32602 InvalidParameter"), refused.stderr)

        let denied = try CommandResult.run(
            Binaries.control, ["call", "config.set", #"{"collection_interval_ms":500}"#, "--socket", daemon.socketPath], wrapper: Self.nobody
        )
        XCTAssertEqual(denied.status, 77, denied.stderr)
        XCTAssertTrue(denied.stderr.contains("-32001"), denied.stderr)
        XCTAssertEqual(try daemon.controlJSON(["config", "get"])["collection_interval_ms"] as? Int, 1000, "refusals change nothing")

        for (arguments, reason) in [
            (["call", "no.such.method"], "unknown method 'no.such.method'; methods: status, metrics.get"),
            (["call", "status", "{x"], "params are not valid JSON"),
            (["call", "status", "[1]"], "params must be a JSON object"),
        ] {
            let bad = try daemon.control(arguments)
            XCTAssertEqual(bad.status, 64, "\(arguments): \(bad.stderr)")
            XCTAssertTrue(bad.stderr.contains(reason), "\(arguments): \(bad.stderr)")
        }
        let help = try control(["call", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("Examples:") && help.stdout.contains("smoothtaskctl call processes.top '{"), help.stdout)
    }

    /// Mistakes caught before connecting: each exits 64 (or 69 for a socket that is no socket) with
    /// one line saying what is wrong, and what to write instead.
    func testUsageMistakesSayWhatIsWrongWithTheRightExitCode() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stctl-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plain").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        let cases: [([String], Int32, String)] = [
            (["config", "set", "nosuchkey=1"], 64, "unknown key 'nosuchkey'; keys: enable_cpu_metrics,"),
            (["top", "--user", "no-such-user-st18"], 64, "no user 'no-such-user-st18' on this system"),
            (["top", "--limit", "-1"], 64, "--limit must be 1...1000 (got -1)"),
            (["top", "--exited", "--limit", "-1"], 64, "--limit must be 1...1000 with --exited (got -1)"),
            (["status", "--socket", directory.path], 69, "cannot connect to \(directory.path): it is a directory, not a socket"),
            (["status", "--socket", file], 69, "cannot connect to \(file): it is a regular file, not a socket"),
        ]
        for (arguments, code, message) in cases {
            let result = try control(arguments)
            XCTAssertEqual(result.status, code, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("stale"), "\(arguments): \(result.stderr)")
        }
        let interval = try control(["set-interval", "--help"]).stdout
        XCTAssertTrue(interval.contains("USAGE: smoothtaskctl set-interval <duration> "), interval)
        XCTAssertFalse(interval.contains("[<duration> ...]"), interval)
        let latency = try control(["latency", "--help"]).stdout
        XCTAssertTrue(latency.hasPrefix("OVERVIEW: Show run-queue latency: how long runnable threads waited for a CPU.\n"), latency)
        XCTAssertFalse(latency.contains(".:"), latency)
    }

    /// One scale per figure, each labelled; one form of window label; each area's details under it;
    /// exact histogram bounds; per-process percentiles within the system's maximum; `latency --json`
    /// saying why it has nothing.
    func testTextViewsAgreeOnScalesLabelsAndPlaces() throws {
        try requireRoot()
        let daemon = try DaemonProcess()
        XCTAssertEqual(try daemon.control(["config", "set", "enable_sched_latency=false"]).status, 0)
        try daemon.waitForNextCollection()  // the latency view reads the latest collection
        let off = try daemon.control(["latency", "--json"])
        XCTAssertEqual(off.status, 0, off.stderr)
        let reason = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(off.stdout.utf8)) as? [String: Any], off.stdout)
        XCTAssertTrue(reason["sched_latency"] is NSNull, off.stdout)
        XCTAssertEqual(reason["reason"] as? String, "disabled by enable_sched_latency=false")

        XCTAssertEqual(try daemon.control(["config", "set", "enable_sched_latency=true"]).status, 0)
        try daemon.waitForNextCollection()
        try daemon.waitForNextCollection()
        let status = try daemon.control(["status"]).stdout
        let lines = status.split(separator: "\n").map(String.init)
        func index(_ prefix: String) throws -> Int { try XCTUnwrap(lines.firstIndex { $0.hasPrefix(prefix) }, "no \(prefix) in:\n\(status)") }
        XCTAssertLessThan(try index("Memory:"), try index("  system:"), status)
        XCTAssertLessThan(try index("  system:"), try index("Syscalls:"), "memory details print under Memory:\n\(status)")
        XCTAssertLessThan(try index("  faults:"), try index("Syscalls:"), status)
        XCTAssertTrue(lines[try index("CPU:")].contains("busy (of all "), status)
        XCTAssertTrue(status.contains("Top processes by CPU (last 1s; CPU% of one CPU):"), status)
        for prefix in ["  split:", "  load:", "  tasks:", "  switches:"] {
            XCTAssertTrue(lines[try index(prefix)].hasSuffix("(procfs)"), "\(prefix) names its source:\n\(status)")
        }
        let cgroups = try daemon.control(["cgroups"]).stdout
        XCTAssertTrue(cgroups.hasPrefix("CPU per cgroup (last 1s; CPU% of one CPU, "), cgroups)
        let latency = try daemon.control(["latency"]).stdout
        let outputs = [status, cgroups, latency, try daemon.control(["top"]).stdout, try daemon.control(["disk"]).stdout]
        // Every window label is the interval's: "last 1s", never "last 999ms" or "last 1001 ms".
        let labels = outputs.joined(separator: "\n").components(separatedBy: "last ").dropFirst()
            .map { $0.prefix { $0 != ")" && $0 != ";" && $0 != " " } }.filter { $0.first?.isNumber == true }
        XCTAssertFalse(labels.isEmpty)
        XCTAssertEqual(Set(labels), ["1s"], "window labels: \(labels)")

        XCTAssertTrue(latency.contains("FROM ns") && latency.contains("TO ns"), latency)
        let bucketRows = latency.split(separator: "\n").filter { $0.contains("|") }
        XCTAssertFalse(bucketRows.isEmpty, latency)
        for row in bucketRows {
            let numbers = row.split(separator: " ").prefix(2).map { UInt64($0.replacingOccurrences(of: ",", with: "")) }
            let from = try XCTUnwrap(numbers.first ?? nil, String(row))
            XCTAssertTrue(from == 0 || from.nonzeroBitCount == 1, "bucket bound \(from) is not an exact power of two: \(row)")
            if let to = numbers.last ?? nil { XCTAssertEqual(to, from == 0 ? 2 : from * 2, String(row)) }
        }
        let json = try daemon.controlJSON(["latency"])
        let systemMax = try XCTUnwrap((json["histogram"] as? [String: Any])?["max_ns"] as? Int, "\(json)")
        for process in try XCTUnwrap(json["top_processes"] as? [[String: Any]]) {
            let histogram = try XCTUnwrap(process["histogram"] as? [String: Any])
            for key in ["p50_ns", "p95_ns", "p99_ns"] {
                XCTAssertLessThanOrEqual(try XCTUnwrap(histogram[key] as? Int), systemMax, "\(key) of \(process["pid"] ?? "?") above the system max")
            }
        }
    }

    /// The pmstat basics against /proc: a collection taken after one reading of /proc/stat and
    /// fetched before another has its totals between the two; /proc/loadavg as read around it.
    func testStatusSystemFiguresAgreeWithProc() throws {
        try requireRoot()
        let daemon = try DaemonProcess()
        try daemon.waitForNextCollection()
        let before = try ProcStatActivity.read()
        let loadBefore = try ProcLoadAverage.read()
        try daemon.waitForNextCollection()
        let metrics = try daemon.call("metrics.get")
        let after = try ProcStatActivity.read()
        let loadAfter = try ProcLoadAverage.read()
        let system = try XCTUnwrap(metrics["system"] as? [String: Any], "\(metrics)")
        print("status system figures: \(system)")
        let sources = try XCTUnwrap(system["sources"] as? [String: String])
        XCTAssertEqual(Set(sources.keys), ["cpu_time", "load_average", "context_switches", "interrupts", "runnable_tasks", "blocked_tasks"])
        XCTAssertEqual(Set(sources.values), ["procfs"])
        for (key, lower, upper) in [
            ("context_switches", before.contextSwitches, after.contextSwitches), ("interrupts", before.interrupts, after.interrupts),
        ] {
            let value = try XCTUnwrap((system[key] as? NSNumber)?.uint64Value, key)
            XCTAssertGreaterThanOrEqual(value, try XCTUnwrap(lower), key)
            XCTAssertLessThanOrEqual(value, try XCTUnwrap(upper), key)
            XCTAssertGreaterThan(try XCTUnwrap(system[key + "_per_s"] as? Double), 0, key)
        }
        let load = try XCTUnwrap(system["load_average"] as? [String: Double])
        let reported = LoadAverage(oneMinute: try XCTUnwrap(load["avg1"]), fiveMinutes: try XCTUnwrap(load["avg5"]), fifteenMinutes: try XCTUnwrap(load["avg15"]))
        XCTAssertTrue([loadBefore, loadAfter].contains(reported), "\(reported) vs /proc/loadavg \(loadBefore) / \(loadAfter)")
        let split = try XCTUnwrap(system["cpu_time"] as? [String: Double])
        XCTAssertEqual(Set(split.keys), ["user", "nice", "system", "iowait", "irq", "softirq", "steal", "idle"])
        XCTAssertEqual(split.values.reduce(0, +), 100, accuracy: 0.001)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(system["runnable_tasks"] as? Int), 1)
        XCTAssertNotNil(system["blocked_tasks"] as? Int)
    }
}
