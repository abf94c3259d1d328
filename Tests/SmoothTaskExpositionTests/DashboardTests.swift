import Foundation
import SmoothTaskExposition
import SmoothTaskModel
import XCTest

/// dashboards/smoothtask.json against the catalog (issue 15): every PromQL expression names only
/// families the daemon exports, and every exported family has a panel.
final class DashboardTests: XCTestCase {
    static let dashboard = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("dashboards/smoothtask.json")

    /// Every family of an input with every area measured, by family name.
    private static var families: [MetricFamily] { MetricCatalog.families(from: EveryAreaInput.make()) }

    /// The names samples of `family` can have in a query.
    private static func sampleNames(_ family: MetricFamily) -> [String] {
        switch family.type {
        case .counter: [family.name + "_total"]
        case .gauge: [family.name]
        case .histogram: ["_bucket", "_sum", "_count"].map { family.name + $0 }
        }
    }

    private func expressions() throws -> [(panel: String, expr: String)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any]
        let panels = try XCTUnwrap(json?["panels"] as? [[String: Any]], "no panels in \(Self.dashboard.path)")
        return panels.flatMap { panel in
            ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { target in
                (target["expr"] as? String).map { (panel["title"] as? String ?? "?", $0) }
            }
        }
    }

    private static func metricNames(in expression: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "smoothtask_[a-z0-9_]+")
        let range = NSRange(expression.startIndex..., in: expression)
        return Set(regex.matches(in: expression, range: range).compactMap { Range($0.range, in: expression).map { String(expression[$0]) } })
    }

    func testEveryExpressionNamesOnlyExportedFamilies() throws {
        let exported = Set(Self.families.flatMap(Self.sampleNames))
        let expressions = try expressions()
        XCTAssertGreaterThan(expressions.count, 0)
        for (panel, expression) in expressions {
            let names = Self.metricNames(in: expression)
            XCTAssertFalse(names.isEmpty, "\(panel): \(expression) names no SmoothTask metric")
            for name in names { XCTAssertTrue(exported.contains(name), "\(panel): \(name) is not exported (\(expression))") }
        }
        print("dashboard: \(expressions.count) expressions over \(Set(expressions.map(\.panel)).count) panels, all naming exported families")
    }

    func testEveryExportedFamilyHasAPanel() throws {
        let named = try expressions().reduce(into: Set<String>()) { $0.formUnion(Self.metricNames(in: $1.expr)) }
        for family in Self.families {
            XCTAssertTrue(Self.sampleNames(family).contains { named.contains($0) }, "no panel shows \(family.name)")
        }
    }

    func testEveryFamilyFollowsPrometheusNaming() {
        let labelName = try! NSRegularExpression(pattern: "^[a-zA-Z_][a-zA-Z0-9_]*$")
        for family in Self.families {
            XCTAssertTrue(family.name.hasPrefix("smoothtask_"), family.name)
            XCTAssertFalse(family.name.hasSuffix("_total"), "\(family.name): the encoder adds _total")
            if let unit = family.unit { XCTAssertTrue(family.name.hasSuffix("_" + unit), "\(family.name) ends in its unit") }
            for name in ["_milliseconds", "_percent", "_kilobytes", "_ns"] {
                XCTAssertFalse(family.name.contains(name), "\(family.name): base units only")
            }
            for sample in family.samples {
                for label in sample.labels {
                    XCTAssertFalse(label.value.isEmpty, "\(family.name) has an empty \(label.name)")
                    let range = NSRange(label.name.startIndex..., in: label.name)
                    XCTAssertNotNil(labelName.firstMatch(in: label.name, range: range), label.name)
                }
            }
        }
    }

    func testAreaFamiliesAreNamedFromTheirSwitch() {
        let names = Set(Self.families.map(\.name))
        for metricSwitch in MetricSwitch.allCases {
            XCTAssertTrue(names.contains { $0.hasPrefix(metricSwitch.familyPrefix + "_") || $0 == metricSwitch.familyPrefix },
                          "no family for \(metricSwitch.configKey) (\(metricSwitch.familyPrefix))")
        }
    }
}
