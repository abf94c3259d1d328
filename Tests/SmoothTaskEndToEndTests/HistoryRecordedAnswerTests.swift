import Foundation
import GRDB
import SmoothTaskHistory
import XCTest

/// A recorded collection is what the live daemon answered, every field of it: the per-process lists
/// the store keeps as references to the process rows (schema 4) come back to the bit, through the
/// compact encoding the figures are stored in (schema 6).
final class HistoryRecordedAnswerTests: XCTestCase {
    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root for eBPF: run the suite as root") }
    }

    func testRecordedMetricsAreTheLiveAnswersListsIncluded() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "500ms"])
        defer { daemon.stop() }
        try daemon.waitForNextCollection()
        // CPU, syscalls and page faults, so every list has entries.
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        load.arguments = ["-c", "import os, time\nend = time.time() + 4\nwhile time.time() < end:\n    bytearray(1 << 20)\n    os.getppid()"]
        try load.run()
        var live: [Int64: [String: Any]] = [:]
        while load.isRunning, live.count < 6 {
            let answer = try daemon.call("metrics.get")
            if let stamp = (answer["timestamp"] as? NSNumber)?.int64Value { live[stamp] = answer }
            usleep(200_000)
        }
        load.waitUntilExit()
        // The last live answer is written once the writer has had it.
        try daemon.waitForNextCollection()
        try daemon.waitForNextCollection()

        var listed = 0
        for (stamp, answer) in live.sorted(by: { $0.key < $1.key }) {
            var recorded = try daemon.call("metrics.get", ["at": stamp])
            XCTAssertEqual(recorded["recorded"] as? Bool, true)
            recorded["recorded"] = nil
            var expected = answer
            expected["recorded"] = nil
            XCTAssertEqual(recorded as NSDictionary, expected as NSDictionary, "the collection of \(stamp) reads back changed")
            if let top = answer["top_processes"] as? [Any], !top.isEmpty { listed += 1 }
        }
        XCTAssertGreaterThan(listed, 0, "no live answer listed a process: nothing was compared")

        let database = try DatabaseQueue(
            path: (daemon.stateDirectory as NSString).appendingPathComponent(HistoryStore.fileName), configuration: readOnly()
        )
        let counts = try database.read { db in
            try Row.fetchOne(db, sql: "SELECT count(*), sum(metrics_lists = 1), sum(metrics_format = 1) FROM collection")
        }
        let total: Int = counts?[0] ?? 0
        let stripped: Int = counts?[1] ?? 0
        let compact: Int = counts?[2] ?? 0
        print("History: \(live.count) live answers (\(listed) with process lists) read back identical; \(stripped) of \(total) collections keep their lists as row references, \(compact) are in the compact encoding")
        XCTAssertGreaterThan(stripped, 0, "no collection kept its lists as references to its rows")
        XCTAssertEqual(compact, total, "every collection's figures are in the compact encoding")
    }

    private func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }
}
