import Foundation
import SmoothTaskModel
import XCTest

/// The configuration types take their switches from the one table: every ``MetricSwitch`` case is
/// encoded, decoded, patched and listed without a line of its own in them.
final class MetricSwitchTests: XCTestCase {
    func testEverySwitchIsEncodedDecodedAndPatchedFromTheTable() throws {
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(EbpfConfig.defaults)) as? [String: Any] ?? [:]
        for area in MetricSwitch.allCases {
            XCTAssertEqual(encoded[area.configKey] as? Bool, area.defaultValue, area.configKey)
            XCTAssertTrue(EbpfConfigPatch.keyNames.contains(area.configKey), area.configKey)

            let patch = try JSONDecoder().decode(EbpfConfigPatch.self, from: Data("{\"\(area.configKey)\": \(!area.defaultValue)}".utf8))
            XCTAssertEqual(patch[area], !area.defaultValue)
            let changed = try EbpfConfig.defaults.applying(patch)
            XCTAssertEqual(changed[area], !area.defaultValue, area.configKey)
            for other in MetricSwitch.allCases where other != area {
                XCTAssertEqual(changed[other], other.defaultValue, "\(area.configKey) also changed \(other.configKey)")
            }
            let roundTrip = try JSONDecoder().decode(EbpfConfig.self, from: JSONEncoder().encode(changed))
            XCTAssertEqual(roundTrip, changed)
            XCTAssertEqual(try JSONDecoder().decode(EbpfConfigPatch.self, from: JSONEncoder().encode(patch)), patch)
        }
        XCTAssertEqual(encoded.count, EbpfConfigPatch.keyNames.count, "every configuration key is settable")
    }

    func testEveryGroupNamesTheSourceOfItsSwitch() {
        for group in MetricGroup.allCases {
            XCTAssertEqual(group.sourceName, group.metricSwitch.sourceName, "\(group)")
        }
    }
}
