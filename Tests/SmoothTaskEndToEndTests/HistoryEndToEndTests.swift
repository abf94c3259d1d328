import Foundation
import SmoothTaskHistory
import XCTest

/// The history against the real daemon (issue 14): what a process did is still there after a
/// restart and matches the kernel's rusage; kill -9 never corrupts and loses at most two intervals;
/// the size limit holds and keeps the newest collections.
final class HistoryEndToEndTests: XCTestCase {
    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root for eBPF: run the suite as root") }
    }

    private static func number(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }
    /// A whole number from a reply, nil when absent or null (as `oldest_ms` is in an empty store):
    /// converting the NaN `number` gives for those traps and takes the whole suite down.
    private static func integer(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }
    private static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A spinner that ran 3 s, asked about after the daemon restarted: its CPU summed over the range
    /// is within 2% of its rusage, and metrics.get {at} in the middle returns a collection of the run.
    func testSpinnerIsRecordedAcrossARestartAndMatchesItsRusage() throws {
        let first = try DaemonProcess(extraArguments: ["--interval", "500ms"])
        let stateDirectory = first.stateDirectory
        try first.waitForNextCollection()
        var before = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &before)
        let started = Self.nowMilliseconds()
        let spinner = Process()
        spinner.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        spinner.arguments = ["-c", "import time\nend = time.time() + 3\nwhile time.time() < end: pass"]
        try spinner.run()
        spinner.waitUntilExit()
        let ended = Self.nowMilliseconds()
        var after = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &after)
        func microseconds(_ time: timeval) -> Double { Double(time.tv_sec) * 1e6 + Double(time.tv_usec) }
        let rusageNanoseconds = (microseconds(after.ru_utime) + microseconds(after.ru_stime)
            - microseconds(before.ru_utime) - microseconds(before.ru_stime)) * 1000
        // The window the spinner exited in is recorded once the next collection is written.
        try first.waitForNextCollection()
        try first.waitForNextCollection()
        XCTAssertEqual(first.stop(), 0)

        let second = try DaemonProcess(extraArguments: ["--interval", "500ms", "--state-dir", stateDirectory])
        defer { second.stop() }
        let top = try second.call("processes.top", ["from": started - 1000, "to": ended + 2000, "pid": spinner.processIdentifier])
        XCTAssertEqual(top["recorded"] as? Bool, true)
        let rows = try XCTUnwrap(top["processes"] as? [[String: Any]])
        let row = try XCTUnwrap(rows.first, "the spinner \(spinner.processIdentifier) is not in the history: \(top)")
        let recorded = Self.number(row["cpu_time_ns"])
        let error = (recorded - rusageNanoseconds) / rusageNanoseconds * 100
        print(String(format: "History: spinner CPU over the range %.1f ms vs rusage %.1f ms (%+.2f%%), state %@, %d collections",
                     recorded / 1e6, rusageNanoseconds / 1e6, error, "\(row["state"] ?? "")", Int((Self.integer(top["window_ms"]) ?? 0) / 500)))
        XCTAssertLessThan(abs(error), 2, "recorded \(recorded) ns vs rusage \(rusageNanoseconds) ns")
        XCTAssertEqual(row["comm"] as? String, "python3")

        let middle = (started + ended) / 2
        let metrics = try second.call("metrics.get", ["at": middle])
        XCTAssertEqual(metrics["recorded"] as? Bool, true)
        let stamp = try XCTUnwrap(Self.integer(metrics["timestamp"]), "no timestamp: \(metrics)")
        print("History: metrics.get at \(middle) returned the collection of \(stamp) (\(middle - stamp) ms before)")
        XCTAssertTrue((started...ended).contains(stamp), "\(stamp) is outside the run \(started)...\(ended)")
    }

    /// kill -9 at random moments while recording: every time the store passes SQLite's integrity
    /// check, opens, and holds collections up to within two intervals of the kill.
    func testKillNineNeverCorruptsAndLosesAtMostTwoIntervals() async throws {
        let intervalMilliseconds: Int64 = 200
        var stateDirectory: String?
        var worst: Int64 = 0
        for round in 0..<5 {
            var arguments = ["--interval", "\(intervalMilliseconds)ms"]
            if let stateDirectory { arguments += ["--state-dir", stateDirectory] }
            let daemon = try DaemonProcess(extraArguments: arguments)
            stateDirectory = stateDirectory ?? daemon.stateDirectory
            try daemon.waitForNextCollection()
            usleep(UInt32.random(in: 600_000...1_600_000))
            let lastCollection = try XCTUnwrap(Self.integer(try daemon.call("metrics.get")["timestamp"]), "round \(round): no collection")
            daemon.crash()
            let store = try HistoryStore(directory: try XCTUnwrap(stateDirectory))
            let integrity = try await store.integrityCheck()
            XCTAssertEqual(integrity, ["ok"], "round \(round)")
            let extent = try await store.extent()
            let newest = try XCTUnwrap(extent.newest, "round \(round): nothing recorded")
            let lost = lastCollection - newest
            worst = max(worst, lost)
            XCTAssertLessThanOrEqual(lost, 2 * intervalMilliseconds, "round \(round): newest \(newest), last collection \(lastCollection)")
        }
        print("History: 5 kill -9 rounds at \(intervalMilliseconds) ms: store intact each time; at most \(worst) ms before the last published collection lost")
    }

    /// history_max_bytes = 1 MiB at a 20 ms interval: the files stay under it while recording, and
    /// what is kept is the newest.
    func testRetentionKeepsTheStoreUnderOneMebibyteAndKeepsTheNewest() async throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "20ms"])
        defer { daemon.stop() }
        let limit = 1 << 20
        _ = try daemon.call("config.set", ["history_max_bytes": limit])
        let started = Self.nowMilliseconds()
        var largest: Int64 = 0
        var largestFile = 0
        let file = (daemon.stateDirectory as NSString).appendingPathComponent("history.sqlite")
        var info: [String: Any] = [:]
        // Until retention has cut the oldest (how long that takes depends on how many processes
        // each collection holds on this machine), and a few seconds more to see it keep cutting.
        var trimmedAt: Int64?
        let deadline = started + 40_000
        while Self.nowMilliseconds() < deadline, trimmedAt.map({ Self.nowMilliseconds() - $0 < 3000 }) ?? true {
            usleep(250_000)
            info = try daemon.call("history.info")
            largest = max(largest, Self.integer(info["bytes"]) ?? 0)
            largestFile = max(largestFile, (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
            if trimmedAt == nil, let oldest = Self.integer(info["oldest_ms"]), oldest > started { trimmedAt = Self.nowMilliseconds() }
        }
        let oldest = try XCTUnwrap(Self.integer(info["oldest_ms"]), "the store is empty: \(info)")
        let newest = try XCTUnwrap(Self.integer(info["newest_ms"]), "the store is empty: \(info)")
        print("History: 1 MiB limit, 20 ms interval, \(Self.nowMilliseconds() - started) ms: largest \(largest) bytes in use, file \(largestFile), \(Self.integer(info["collections"]) ?? 0) collections kept, "
              + "oldest \(Self.nowMilliseconds() - oldest) ms ago, newest \(Self.nowMilliseconds() - newest) ms ago")
        XCTAssertLessThanOrEqual(largest, Int64(limit))
        // The file gives the cut pages back too (a quarter over for pages freed between cuts; the
        // write-ahead log is a file of its own).
        XCTAssertLessThanOrEqual(largestFile, limit + limit / 4, "the file does not shrink with what retention cuts")
        XCTAssertGreaterThan(oldest, started, "nothing was trimmed: the test did not fill the store")
        XCTAssertLessThan(Self.nowMilliseconds() - newest, 2000, "the newest collections are not kept")
        XCTAssertNil(info["last_error"] as? String)
    }

    /// A full disk stops recording with the reason in `status` and `history.info`, never the daemon:
    /// the state directory is a 2 MiB tmpfs that a 20 ms interval fills within seconds.
    func testAFullDiskStopsRecordingNotTheDaemon() throws {
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-full-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: disk) }
        let mount = try CommandResult.run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.path])
        guard mount.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mount.stderr)") }
        defer { _ = try? CommandResult.run(URL(fileURLWithPath: "/bin/umount"), ["-l", disk.path]) }
        let daemon = try DaemonProcess(extraArguments: ["--interval", "20ms", "--state-dir", disk.path])
        defer { daemon.stop() }
        var info: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            info = try daemon.call("history.info")
            if info["recording"] as? Bool == false { break }
            usleep(250_000)
        }
        let reason = info["last_error"] as? String
        print("History on a full 2 MiB disk: recording \(info["recording"] ?? "?"), \(Self.integer(info["collections"]) ?? 0) collections, reason: \(reason ?? "none")")
        XCTAssertEqual(info["recording"] as? Bool, false, "recording stops when the disk is full: \(info)")
        XCTAssertNotNil(reason, "the reason is told")
        let status = try daemon.call("status")
        XCTAssertEqual((status["history"] as? [String: Any])?["last_error"] as? String, reason, "status says why too")
        XCTAssertEqual(kill(daemon.pid, 0), 0, "the daemon runs on")
        try daemon.waitForNextCollection()
    }

    /// `export --format openmetrics` of a recorded range loads into a Prometheus TSDB with promtool
    /// (timestamps and all), and `--format jsonl` has one recorded collection per line.
    func testExportLoadsIntoPrometheusWithPromtool() throws {
        guard let promtool = PrometheusExportTests.promtool else {
            throw XCTSkip("needs promtool (`make test-deps` or `make promtool` unpacks it)")
        }
        let daemon = try DaemonProcess(extraArguments: ["--interval", "200ms"])
        defer { daemon.stop() }
        let deadline = Date().addingTimeInterval(30)
        while Self.number(try daemon.call("history.info")["collections"]) < 6, Date() < deadline { usleep(100_000) }
        let exported = try daemon.control(["export", "--since", "1m", "--format", "openmetrics"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let file = daemon.directory.appendingPathComponent("history.om")
        try exported.stdout.write(to: file, atomically: true, encoding: .utf8)
        let blocks = daemon.directory.appendingPathComponent("tsdb")
        let loaded = try CommandResult.run(URL(fileURLWithPath: promtool), ["tsdb", "create-blocks-from", "openmetrics", file.path, blocks.path])
        XCTAssertEqual(loaded.status, 0, "promtool: \(loaded.stdout)\(loaded.stderr)")
        let samples = exported.stdout.split(separator: "\n").filter { $0.hasPrefix("smoothtask_cpu_usage_ratio ") }.count
        let lines = try daemon.control(["export", "--since", "1m", "--format", "jsonl"]).stdout.split(separator: "\n")
        print("History: export of \(samples) recorded collections loaded by promtool into \(blocks.lastPathComponent); jsonl \(lines.count) lines")
        XCTAssertGreaterThanOrEqual(samples, 5)
        XCTAssertGreaterThanOrEqual(lines.count, samples, "the jsonl export ran later: at least as many collections")
        XCTAssertTrue(lines.allSatisfy { $0.contains("\"recorded\":true") })
    }
}
