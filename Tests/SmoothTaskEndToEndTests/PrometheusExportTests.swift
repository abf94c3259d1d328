import Foundation
import SmoothTaskModel
import XCTest

/// The Prometheus/OpenMetrics endpoint of a real daemon, read by real parsers (prometheus_client,
/// promtool) and checked against the same daemon's metrics.get.
final class PrometheusExportTests: XCTestCase {
    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    /// With the interval at 1 h after one collection, the snapshot stands still: the exposition must
    /// carry exactly the numbers metrics.get returns.
    func testBothFormatsParseAndCarryTheSameNumbersAsMetricsGet() throws {
        let daemon = try DaemonProcess()
        let endpoint = daemon.directory.appendingPathComponent("metrics.sock").path
        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=\(endpoint)"]).status, 0)
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(try daemon.control(["set-interval", "1h"]).status, 0)
        let metrics = try daemon.controlJSON(["metrics"])

        for format in ["prometheus", "openmetrics"] {
            let scrape = try ExpositionScrape.scrape(endpoint, format: format)
            XCTAssertTrue(
                scrape.contentType.hasPrefix(format == "openmetrics" ? "application/openmetrics-text; version=1.0.0" : "text/plain; version=0.0.4"),
                scrape.contentType
            )
            XCTAssertEqual(try scrape.value("smoothtask_memory_total_bytes"), Double(try XCTUnwrap(metrics["memory_total"] as? Int)))
            XCTAssertEqual(try scrape.value("smoothtask_memory_used_bytes"), Double(try XCTUnwrap(metrics["memory_usage"] as? Int)))
            // By name (top K plus other), together the syscalls counted since load: syscall_count is
            // read a moment before the per-syscall counts of the same collection.
            let byName = try XCTUnwrap(scrape.families["smoothtask_syscalls"]).samples.filter { $0.name == "smoothtask_syscalls_total" }
            XCTAssertTrue(byName.contains { $0.labels["syscall"] == "other" })
            let syscallCount = Double(try XCTUnwrap(metrics["syscall_count"] as? Int))
            XCTAssertEqual(byName.reduce(0) { $0 + $1.value }, syscallCount, accuracy: syscallCount * 0.01)
            XCTAssertEqual(try scrape.value("smoothtask_cpu_usage_ratio"), try XCTUnwrap(metrics["cpu_usage"] as? Double) / 100, accuracy: 1e-12)
            let perCore = try XCTUnwrap(metrics["cpu_per_core"] as? [Double])
            for (cpu, percent) in perCore.enumerated() {
                XCTAssertEqual(try scrape.value("smoothtask_cpu_core_usage_ratio", ["cpu": "\(cpu)"]), percent / 100, accuracy: 1e-12)
            }
            XCTAssertEqual(try scrape.value("smoothtask_collection_interval_seconds"), 3600)
            XCTAssertEqual(try scrape.value("smoothtask_build_info", ["version": SmoothTaskVersion.current]), 1)
            for program in ["cpu_metrics", "syscalls", "cgroup_cpu"] {
                XCTAssertEqual(try scrape.value("smoothtask_bpf_program_attached", ["program": program]), 1, program)
            }
            XCTAssertEqual(try scrape.value("smoothtask_bpf_map_full_drops", ["program": "cgroup_cpu"], sample: "smoothtask_bpf_map_full_drops_total"), 0)
            let rss = try scrape.value("smoothtask_daemon_resident_memory_bytes")
            XCTAssertGreaterThan(rss, 1_048_576, "a Swift daemon holds at least a MiB")
            let durations = try XCTUnwrap(scrape.families["smoothtask_collection_duration_seconds"])
            XCTAssertEqual(durations.type, "histogram")
            let count = try XCTUnwrap(durations.samples.first { $0.name.hasSuffix("_count") }).value
            XCTAssertGreaterThanOrEqual(count, 2, "the first collection and at least one tick")
            let buckets = durations.samples.filter { $0.name.hasSuffix("_bucket") }.map(\.value)
            XCTAssertEqual(buckets, buckets.sorted(), "cumulative buckets")
            XCTAssertEqual(buckets.last, count, "+Inf bucket holds every observation")
            if format == "openmetrics" {
                XCTAssertEqual(scrape.families["smoothtask_memory_total_bytes"]?.unit, "bytes")
                XCTAssertEqual(scrape.families["smoothtask_daemon_cpu_seconds"]?.type, "counter")
            }
        }
        // The previous scrapes are in the scrape-duration histogram of the next one.
        let last = try ExpositionScrape.scrape(endpoint, format: "prometheus")
        XCTAssertEqual(try last.value("smoothtask_scrape_duration_seconds", sample: "smoothtask_scrape_duration_seconds_count"), 2)
    }

    func testPromtoolAcceptsTheExposition() throws {
        guard let promtool = Self.promtool else {
            throw XCTSkip("needs promtool (Debian's prometheus package; `make promtool` unpacks it without its service)")
        }
        // The endpoint must be inside the daemon's metrics socket directory: the test's own.
        let daemon = try DaemonProcess()
        let endpoint = daemon.directory.appendingPathComponent("metrics.sock").path
        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=\(endpoint)"]).status, 0)
        Thread.sleep(forTimeInterval: 1.1)
        let body = daemon.directory.appendingPathComponent("metrics.txt").path
        _ = try ExpositionScrape.scrape(endpoint, format: "prometheus", keepingBodyAt: body)
        let check = try CommandResult.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" check metrics < \"$1\"", promtool, body])
        XCTAssertEqual(check.status, 0, "promtool: \(check.stdout)\(check.stderr)")
        XCTAssertEqual(check.stdout + check.stderr, "", "promtool lint findings")
    }

    func testTheEndpointFollowsConfigSetAndRefusesRemoteAddresses() throws {
        let daemon = try DaemonProcess()
        let endpoint = daemon.directory.appendingPathComponent("m.sock").path
        XCTAssertEqual(try daemon.controlJSON(["config", "get"])["prometheus_listen"] as? NSNull, NSNull(), "off by default")
        XCTAssertFalse(FileManager.default.fileExists(atPath: endpoint))

        let refused = try daemon.control(["config", "set", "prometheus_listen=0.0.0.0:9464"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("--allow-remote-metrics"), refused.stderr)
        let malformed = try daemon.control(["config", "set", "prometheus_listen=9464"])
        XCTAssertEqual(malformed.status, 1)
        XCTAssertTrue(malformed.stderr.contains("host:port"), malformed.stderr)
        XCTAssertEqual(try daemon.controlJSON(["config", "get"])["prometheus_listen"] as? NSNull, NSNull(), "refusals change nothing")

        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=\(endpoint)"]).status, 0)
        XCTAssertNotNil(try ExpositionScrape.scrape(endpoint, format: "prometheus").families["smoothtask_build_info"])
        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=null"]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: endpoint), "switching off removes the socket")
    }

    /// promtool on PATH, or unpacked by `make promtool` into .build/tools.
    static var promtool: String? {
        let unpacked = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/tools/usr/bin/promtool").path
        let candidates = ["/usr/bin/promtool", unpacked]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
