import Foundation
import XCTest

/// Run-queue latency, disk and network through the real daemon and CLI: switched at runtime with
/// `config set`, shown by `status`, `latency`, `disk` and `net`.
final class AreaEndToEndTests: XCTestCase {
    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    func testSwitchesAndDetailCommands() throws {
        let daemon = try DaemonProcess()
        XCTAssertEqual(try daemon.controlJSON(["config", "get"])["enable_sched_latency"] as? Bool, true, "on by default")
        XCTAssertEqual(try daemon.control(["config", "set", "enable_sched_latency=false"]).status, 0)
        try daemon.waitForNextCollection()  // the latency view reads the latest collection
        let off = try daemon.control(["latency"])
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertTrue(off.stdout.contains("disabled by enable_sched_latency=false"), off.stdout)

        let set = try daemon.control(["config", "set", "enable_sched_latency=true"])
        XCTAssertEqual(set.status, 0, set.stderr)
        Thread.sleep(forTimeInterval: 2.2)  // a full window after the attach
        let latency = try daemon.controlJSON(["latency"])
        let histogram = try XCTUnwrap(latency["histogram"] as? [String: Any], "\(latency)")
        XCTAssertGreaterThan(try XCTUnwrap(histogram["count"] as? Int), 0, "no wait measured in a second: \(histogram)")
        XCTAssertNotNil(histogram["p99_ns"] as? Int)
        XCTAssertFalse(try XCTUnwrap(histogram["buckets"] as? [[String: Any]]).isEmpty)
        XCTAssertNotNil(latency["top_processes"] as? [[String: Any]])
        XCTAssertNotNil(try daemon.controlJSON(["disk"])["devices"] as? [[String: Any]])
        XCTAssertNotNil(try daemon.controlJSON(["net"])["interfaces"] as? [[String: Any]])

        let status = try daemon.control(["status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        for label in ["Run queue:", "Disk:", "Network:", "sched_latency", "disk_metrics", "network_metrics"] {
            XCTAssertTrue(status.stdout.contains(label), "missing \(label) in:\n\(status.stdout)")
        }
        for command in ["latency", "disk", "net"] {
            let human = try daemon.control([command])
            XCTAssertEqual(human.status, 0, human.stderr)
            XCTAssertFalse(human.stdout.contains("n/a"), "\(command):\n\(human.stdout)")
        }

        let unset = try daemon.control(["config", "set", "enable_disk_metrics=false", "enable_network_metrics=false"])
        XCTAssertEqual(unset.status, 0, unset.stderr)
        Thread.sleep(forTimeInterval: 1.2)
        let metrics = try daemon.controlJSON(["metrics"])
        XCTAssertTrue(metrics["disk"] is NSNull)
        XCTAssertTrue(metrics["network"] is NSNull)
        XCTAssertEqual((metrics["sources"] as? [String: String])?["disk"], "disabled")
        XCTAssertNotNil(metrics["sched_latency"] as? [String: Any])
        XCTAssertEqual(daemon.stop(), 0)
    }
}
