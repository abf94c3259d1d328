import Foundation
import XCTest

/// One scrape of a daemon's /metrics, parsed by prometheus_client (Tests/Tools/scrape_exposition.py).
struct ExpositionScrape {
    struct Sample: Decodable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Family: Decodable {
        let type: String
        let unit: String
        let samples: [Sample]
    }

    let contentType: String
    let families: [String: Family]
    /// The body as served, when a path for it was given.
    let rawBodyPath: String?

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools/scrape_exposition.py")

    /// Scrapes `address` asking for `format` (`prometheus` or `openmetrics`); skips the test when
    /// prometheus_client is not installed.
    static func scrape(_ address: String, format: String, keepingBodyAt rawBodyPath: String? = nil) throws -> ExpositionScrape {
        let result = try CommandResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, address, format] + (rawBodyPath.map { [$0] } ?? [])
        )
        if result.status == 2 {
            throw XCTSkip("needs Python's prometheus_client to parse the exposition: pip install prometheus-client (make test does)")
        }
        guard result.status == 0 else { throw ScrapeFailed(message: result.stderr) }
        struct Output: Decodable {
            let content_type: String
            let families: [String: Family]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        return ExpositionScrape(contentType: output.content_type, families: output.families, rawBodyPath: rawBodyPath)
    }

    /// The value of the only sample of `family` with `labels` (all of them matching).
    func value(_ family: String, _ labels: [String: String] = [:], sample: String? = nil) throws -> Double {
        let samples = try XCTUnwrap(families[family], "no family \(family) in \(families.keys.sorted())").samples
        let matching = samples.filter { candidate in
            (sample == nil || candidate.name == sample) && labels.allSatisfy { candidate.labels[$0.key] == $0.value }
        }
        XCTAssertEqual(matching.count, 1, "\(family) \(labels): \(samples)")
        return try XCTUnwrap(matching.first).value
    }

    struct ScrapeFailed: Error, CustomStringConvertible {
        let message: String
        var description: String { "scrape failed: \(message)" }
    }
}
