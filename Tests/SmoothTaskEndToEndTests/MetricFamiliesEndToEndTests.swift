import Foundation
import XCTest

/// `metrics.families` against the same daemon's `GET /metrics` (read by prometheus_client): the
/// method exists so the OTLP bridge cannot drift from the endpoint, so every family, type, unit,
/// series, value, bucket and `_created` must be the same.
final class MetricFamiliesEndToEndTests: XCTestCase {
    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    /// With the interval at 1 h after a collection, the snapshot stands still, so the reply and the
    /// scrape come from the same collection.
    func testFamiliesAreWhatTheEndpointServes() throws {
        let daemon = try DaemonProcess()
        let endpoint = daemon.directory.appendingPathComponent("metrics.sock").path
        XCTAssertEqual(try daemon.control(["config", "set", "prometheus_listen=\(endpoint)"]).status, 0)
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(try daemon.control(["set-interval", "1h"]).status, 0)
        let reply = try daemon.call("metrics.families")
        let scrape = try ExpositionScrape.scrape(endpoint, format: "openmetrics")
        let families = try XCTUnwrap(reply["families"] as? [[String: Any]])
        XCTAssertEqual(reply["unavailable"] as? [String: String], [:])

        let names = families.compactMap { $0["name"] as? String }
        XCTAssertEqual(Set(names), Set(scrape.families.keys), "families differ from /metrics")
        var series = 0
        for family in families {
            let name = try XCTUnwrap(family["name"] as? String)
            let type = try XCTUnwrap(family["type"] as? String)
            guard let served = scrape.families[name] else { continue }
            XCTAssertEqual(type, served.type, name)
            XCTAssertEqual(family["unit"] as? String ?? "", served.unit, name)
            for sample in try XCTUnwrap(family["samples"] as? [[String: Any]]) {
                series += 1
                let labels = Dictionary(uniqueKeysWithValues: try XCTUnwrap(sample["labels"] as? [[String: String]]).map {
                    ($0["name"] ?? "", $0["value"] ?? "")
                })
                if let created = family["created"] as? Double {
                    XCTAssertEqual(try value(served, "\(name)_created", labels), created, accuracy: 1e-3, "\(name) \(labels)")
                }
                guard let histogram = sample["histogram"] as? [String: Any] else {
                    let expected = try XCTUnwrap(sample["value"] as? Double, "\(name) sample without a value")
                    let sampleName = type == "counter" ? "\(name)_total" : name
                    XCTAssertEqual(try value(served, sampleName, labels), expected, accuracy: abs(expected) * 1e-12, "\(name) \(labels)")
                    continue
                }
                // Scrapes add to this one; the scrape above was the endpoint's first.
                if name == "smoothtask_scrape_duration_seconds" { continue }
                let bounds = try XCTUnwrap(histogram["upper_bounds"] as? [Double])
                let counts = try XCTUnwrap(histogram["cumulative_counts"] as? [Int])
                XCTAssertEqual(bounds.count, counts.count, name)
                XCTAssertEqual(bounds, bounds.sorted(), "\(name): bounds not ascending")
                let buckets = served.samples.filter { $0.name == "\(name)_bucket" && $0.labels.filter { $0.key != "le" } == labels }
                XCTAssertEqual(buckets.count, bounds.count + 1, "\(name) \(labels): /metrics has \(buckets.count) buckets")
                for (bound, count) in zip(bounds, counts) {
                    let bucket = buckets.first { Double($0.labels["le"] ?? "").map { abs($0 - bound) <= bound * 1e-12 } ?? false }
                    XCTAssertEqual(bucket?.value, Double(count), "\(name) \(labels) le=\(bound)")
                }
                let total = try XCTUnwrap(histogram["count"] as? Int)
                XCTAssertEqual(buckets.first { $0.labels["le"] == "+Inf" }?.value, Double(total), "\(name) +Inf")
                XCTAssertEqual(try value(served, "\(name)_count", labels), Double(total), name)
                let sum = try XCTUnwrap(histogram["sum"] as? Double)
                XCTAssertEqual(try value(served, "\(name)_sum", labels), sum, accuracy: abs(sum) * 1e-12, name)
            }
        }
        let bytes = try JSONSerialization.data(withJSONObject: reply).count
        print("metrics.families: \(families.count) families, \(series) series, \(bytes) bytes of result; /metrics has \(scrape.families.count) families")
    }

    private func value(_ family: ExpositionScrape.Family, _ sample: String, _ labels: [String: String]) throws -> Double {
        let matching = family.samples.filter { $0.name == sample && $0.labels == labels }
        XCTAssertEqual(matching.count, 1, "\(sample) \(labels): \(family.samples.map { "\($0.name)\($0.labels)" })")
        return try XCTUnwrap(matching.first).value
    }
}
