import Foundation
@testable import smoothtaskctl
import XCTest

/// The TIME forms `status --at`, `top --from/--to`, `watch --replay --from` and `export` accept:
/// each checked against an independent reading of the same moment (epoch arithmetic, or the zone's
/// fixed offset), and the forms that must be refused rather than carried into another day.
final class TimeArgumentTests: XCTestCase {
    /// 2026-11-28 03:00:00 UTC.
    private let threeAMUTC: Int64 = 1_795_834_800_000
    private let now: Int64 = 1_795_834_800_000 + 12 * 3_600_000 + 34 * 60_000 + 56_789
    private var savedZone: String?

    override func setUp() {
        savedZone = ProcessInfo.processInfo.environment["TZ"]
        // A zone without daylight saving and with a half-hour offset, so local time cannot pass for UTC.
        setenv("TZ", "Asia/Kolkata", 1)
        tzset()
    }

    override func tearDown() {
        if let savedZone { setenv("TZ", savedZone, 1) } else { unsetenv("TZ") }
        tzset()
    }

    private func parse(_ text: String) -> Int64? {
        TimeArgument.parse(text, nowMilliseconds: now)
    }

    func testRelativeTimesCountBackFromNow() {
        XCTAssertEqual(parse("now"), now)
        XCTAssertEqual(parse("-10m"), now - 600_000)
        XCTAssertEqual(parse("10m"), now - 600_000)
        XCTAssertEqual(parse("10 min ago"), now - 600_000)
        XCTAssertEqual(parse(" 2 hours ago "), now - 7_200_000)
        XCTAssertEqual(parse("1h30m"), now - 5_400_000)
        XCTAssertEqual(parse("1.5d"), now - 129_600_000)
        XCTAssertEqual(parse("250ms"), now - 250)
        XCTAssertEqual(parse("-1w"), now - 604_800_000)
    }

    func testISO8601HonoursItsZoneAndFraction() {
        XCTAssertEqual(parse("2026-11-28T03:00:00Z"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-28t03:00z"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-28T05:00:00+02:00"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-28T05:00:00+0200"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-27T22:00:00-05:00"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-28T03:00:00.25Z"), threeAMUTC + 250)
        XCTAssertEqual(parse("2026-11-28T03:00:00,125Z"), threeAMUTC + 125)
    }

    func testLocalDateAndTimeUseTheLocalZone() {
        // Asia/Kolkata is UTC+05:30 all year.
        let offset: Int64 = 5 * 3_600_000 + 30 * 60_000
        XCTAssertEqual(parse("2026-11-28 08:30"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-28 08:30:00"), threeAMUTC)
        XCTAssertEqual(parse("2026-11-28"), threeAMUTC - 3 * 3_600_000 - offset)
        // A time of day alone is today's (in local time: now is 15:34 local, 28 November).
        XCTAssertEqual(parse("08:30"), threeAMUTC)
        XCTAssertEqual(parse("1795834800000"), threeAMUTC, "Unix milliseconds")
        XCTAssertEqual(TimeArgument.localText(threeAMUTC), "2026-11-28 08:30:00")
    }

    func testImpossibleOrUnknownTimesAreRefused() {
        for text in [
            "", "yesterday", "10 parsecs ago", "-", "2026-13-01", "2026-02-30", "2025-02-29", "2026-11-28 24:00",
            "2026-11-28 12:60", "2026-11-28T03:00:00+", "2026-11-28T03:00:00Zjunk", "3:00", "12345",
        ] {
            XCTAssertNil(parse(text), "\"\(text)\" must be refused")
        }
        XCTAssertNotNil(parse("2024-02-29"), "a leap day")
        XCTAssertNil(TimeArgument(argument: "2026-02-30"), "the argument parser sees the refusal")
    }
}
