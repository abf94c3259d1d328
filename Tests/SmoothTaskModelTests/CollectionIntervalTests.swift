import SmoothTaskModel
import XCTest

final class CollectionIntervalTests: XCTestCase {
    func testParsesEveryUnit() throws {
        let cases = ["250ms": 250, "2s": 2000, "1.5s": 1500, "1m": 60_000, "1h": 3_600_000, "10ms": 10, " 2S ": 2000]
        for (text, milliseconds) in cases {
            XCTAssertEqual(try CollectionInterval(parsing: text).milliseconds, milliseconds, text)
        }
    }

    func testRefusesWhatIsNotAnIntervalSayingWhy() {
        let cases = ["-5": "between 10ms and 1h", "0": "between 10ms and 1h", "5ms": "between 10ms and 1h",
                     "2h": "between 10ms and 1h", "500": "no unit", "abc": "not a duration", "": "not a duration",
                     "-1s": "between 10ms and 1h", "nans": "between 10ms and 1h"]
        for (text, reason) in cases {
            XCTAssertThrowsError(try CollectionInterval(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }

    func testFormatsTheShortestWay() {
        XCTAssertEqual(CollectionInterval.format(milliseconds: 250), "250ms")
        XCTAssertEqual(CollectionInterval.format(milliseconds: 1000), "1s")
        XCTAssertEqual(CollectionInterval.format(milliseconds: 1500), "1.5s")
        XCTAssertEqual(CollectionInterval.format(milliseconds: 60_000), "1m")
        XCTAssertEqual(CollectionInterval.format(milliseconds: 3_600_000), "1h")
    }

    /// Issue 18: windows printed as "last 999ms", "last 1001 ms" and "last 1s" for one 1 s interval.
    func testMeasuredWindowsPrintAsTheIntervalTheyJitterAround() {
        for milliseconds: Int64 in [950, 990, 999, 1000, 1001, 1049] {
            XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: milliseconds), "1s", "\(milliseconds) ms")
        }
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 248), "250ms")
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 101), "100ms")
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 1480), "1.5s")
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 2003), "2s")
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 59_800), "1m")
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 3), "3ms")
        XCTAssertEqual(CollectionInterval.formatWindow(milliseconds: 0), "0ms")
    }
}
