import Foundation
import XCTest

@testable import SmoothTaskCollectors

/// The PSI files' `key=value` lines, as the memory area and the exposition's stall counters read them.
final class ProcPressureTests: XCTestCase {
    func testBothLinesParseToTheirFigures() throws {
        let text = """
            some avg10=1.25 avg60=0.50 avg300=0.10 total=123456
            full avg10=0.75 avg60=0.25 avg300=0.05 total=7890

            """
        let pressure = try XCTUnwrap(ProcPressure.parse(ProcPressure.fields(of: text)))
        XCTAssertEqual(pressure.someAvg10, 1.25)
        XCTAssertEqual(pressure.someAvg60, 0.50)
        XCTAssertEqual(pressure.someTotalMicroseconds, 123_456)
        XCTAssertEqual(pressure.fullAvg10, 0.75)
        XCTAssertEqual(pressure.fullTotalMicroseconds, 7890)
        let totals = try XCTUnwrap(PressureTotals.parse(ProcPressure.fields(of: text), resource: "memory"))
        XCTAssertEqual(totals.someMicroseconds, 123_456)
        XCTAssertEqual(totals.fullMicroseconds, 7890)
    }

    /// The CPU file has no `full` line before Linux 5.13: the totals keep `some` alone.
    func testAMissingFullLineLeavesOnlySome() throws {
        let totals = try XCTUnwrap(PressureTotals.parse(ProcPressure.fields(of: "some avg10=0.00 avg60=0.00 avg300=0.00 total=42\n"), resource: "cpu"))
        XCTAssertEqual(totals.someMicroseconds, 42)
        XCTAssertNil(totals.fullMicroseconds)
        XCTAssertNil(ProcPressure.parse(ProcPressure.fields(of: "garbage\n")))
    }

    /// This kernel's own file parses, and its total only grows between two reads.
    func testTheKernelsFileParses() throws {
        guard let first = try? String(contentsOfFile: "/proc/pressure/memory", encoding: .utf8) else {
            throw XCTSkip("/proc/pressure/memory cannot be read: this kernel has no PSI (CONFIG_PSI)")
        }
        let earlier = try XCTUnwrap(ProcPressure.parse(ProcPressure.fields(of: first)), first)
        let later = try XCTUnwrap(ProcPressure.parse(ProcPressure.fields(of: try String(contentsOfFile: "/proc/pressure/memory", encoding: .utf8))))
        XCTAssertGreaterThanOrEqual(later.someTotalMicroseconds, earlier.someTotalMicroseconds)
    }
}
