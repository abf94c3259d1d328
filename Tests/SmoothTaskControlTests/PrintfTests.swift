import Foundation
@testable import smoothtaskctl
import XCTest

/// `String(printf:)` formats as the C library's vsnprintf does with the same format and arguments
/// (the va_list way it used to, here as the independent reading), for every kind of format the
/// client writes.
final class PrintfTests: XCTestCase {
    private func vsnprintf(_ format: String, _ arguments: [CVarArg]) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = withVaList(arguments) { Glibc.vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func testDoublesMatchTheCLibrary() {
        let values: [Double] = [0, -0.0, 0.05, 0.125, 0.375, 1.005, 2.5, -3.14159, 99.95, 123_456_789.987, 1e15, 1e-7, .infinity, -.infinity, .nan]
        for format in ["%.1f", "%5.1f", "%.2f%%", "%8.3f%%", "%12.0f", "%10.1f", "%.0fB", "%.3f", "%-8.2f|", "%+.1f", "%e", "%g"] {
            for value in values {
                XCTAssertEqual(String(printf: format, value), vsnprintf(format, [value]), "\(format) of \(value)")
            }
        }
    }

    func testIntegersMatchTheCLibrary() {
        for (format, value) in [("%02d", 7), ("%04d", -12), ("%d", Int(Int32.max)), ("%lld", Int.min), ("%5d|", 42), ("%-5d|", 42)] {
            XCTAssertEqual(String(printf: format, value), vsnprintf(format, [value]), "\(format) of \(value)")
        }
        // A whole Int, where a C `int` conversion would keep its low 32 bits.
        XCTAssertEqual(String(printf: "%d", Int.max), "9223372036854775807")
        for (format, value) in [("%02d", Int32(5)), ("%02d", Int32.min)] {
            XCTAssertEqual(String(printf: format, value), vsnprintf(format, [value]), "\(format) of \(value)")
        }
        for (format, value) in [("%02llu", UInt64(3)), ("%10llu", UInt64.max), ("%llu", UInt64(0)), ("%lu", UInt64(1) << 40)] {
            XCTAssertEqual(String(printf: format, value), vsnprintf(format, [value]), "\(format) of \(value)")
        }
    }

    /// Formats with several conversions and text around them, as the status and overhead lines write them.
    func testWholeLinesMatchTheCLibrary() {
        XCTAssertEqual(
            String(printf: ", estimate %.3f%% (daemon %.3f%%, programs %.3f%%)", 0.4731, 0.47, 0.0031),
            vsnprintf(", estimate %.3f%% (daemon %.3f%%, programs %.3f%%)", [0.4731, 0.47, 0.0031])
        )
        XCTAssertEqual(
            String(printf: "%04d-%02d-%02d %02d:%02d:%02d", Int32(2026), Int32(11), Int32(29), Int32(6), Int32(5), Int32(9)),
            "2026-11-29 06:05:09"
        )
        XCTAssertEqual(String(printf: "%10llu %10.3f ms ", UInt64(1234), 5.6789), vsnprintf("%10llu %10.3f ms ", [UInt64(1234), 5.6789]))
        XCTAssertEqual(String(printf: "100%% of %.1f µs, é", 2.25), "100% of 2.2 µs, é")
    }

    /// What a format asks for beyond its arguments is left as written, never read from elsewhere.
    func testMissingArgumentsAndStrayPercentsStayAsWritten() {
        XCTAssertEqual(String(printf: "%.1f and %.1f", 1.0), "1.0 and %.1f")
        XCTAssertEqual(String(printf: "50%"), "50%")
        XCTAssertEqual(String(printf: "%", 1.0), "%")
        XCTAssertEqual(String(printf: "no conversions"), "no conversions")
    }
}
