import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A moment on the command line, as Unix epoch milliseconds: relative (`-10m`, `10 min ago`,
/// `2h`), `now`, a local date and time (`2026-11-28 03:00`, `03:00` today), ISO 8601
/// (`2026-11-28T03:00:00Z`, with an offset) or Unix milliseconds.
///
/// Parsed with the C library (mktime for local time, timegm for UTC), not Foundation's date
/// formatters: those live in full Foundation with ICU, which the client does not load.
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// Unix epoch milliseconds.
    let milliseconds: Int64

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    init?(argument: String) {
        guard let parsed = Self.parse(argument, nowMilliseconds: Self.nowMilliseconds()) else { return nil }
        milliseconds = parsed
    }

    static let help = "-10m, \"10 min ago\", 2026-11-28 03:00, 03:00, ISO 8601 or Unix ms"

    /// The wall clock now, in Unix epoch milliseconds.
    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Seconds per unit of a relative time, by the names people write.
    private static let units: [(names: [String], seconds: Double)] = [
        (["ms"], 0.001),
        (["s", "sec", "secs", "second", "seconds"], 1),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["h", "hr", "hrs", "hour", "hours"], 3600),
        (["d", "day", "days"], 86_400),
        (["w", "week", "weeks"], 604_800),
    ]

    /// `text` as Unix ms, `nil` when it is none of the accepted forms.
    static func parse(_ text: String, nowMilliseconds: Int64) -> Int64? {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased()
        if trimmed == "now" { return nowMilliseconds }
        if let ago = duration(trimmed) { return nowMilliseconds - ago }
        if trimmed.count >= 11, trimmed.allSatisfy(\.isNumber), let value = Int64(trimmed) { return value }
        return dateAndTime(trimmed, nowMilliseconds: nowMilliseconds)
    }

    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`), with an optional `Z` or `±HH[:]MM`
    /// (ISO 8601: that offset; otherwise local time), or `HH:MM[:SS]` today in local time.
    private static func dateAndTime(_ text: String, nowMilliseconds: Int64) -> Int64? {
        var scanner = Scanner(text)
        var moment = tm()
        if let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2)
        {
            // The C library would carry a 13th month or a 30 February into the next: refuse them instead.
            guard (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day) else { return nil }
            (moment.tm_year, moment.tm_mon, moment.tm_mday) = (Int32(year - 1900), Int32(month - 1), Int32(day))
            if scanner.isAtEnd { return local(&moment, milliseconds: 0) }
            guard scanner.skip("t") || scanner.skip(" ") else { return nil }
        } else {
            // A time of day alone: today's date, local time.
            var now = time_t(nowMilliseconds / 1000)
            localtime_r(&now, &moment)
        }
        guard let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2) else { return nil }
        var second = 0, milliseconds = 0
        if scanner.skip(":") {
            guard let value = scanner.number(digits: 2) else { return nil }
            second = value
            if scanner.skip(".") || scanner.skip(",") {
                let fraction = scanner.digits()
                guard !fraction.isEmpty else { return nil }
                milliseconds = Int(String((fraction + "00").prefix(3))) ?? 0
            }
        }
        (moment.tm_hour, moment.tm_min, moment.tm_sec) = (Int32(hour), Int32(minute), Int32(second))
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        if scanner.isAtEnd { return local(&moment, milliseconds: milliseconds) }
        // ISO 8601 with a zone: Z or an offset east of UTC.
        var offsetSeconds = 0
        if !scanner.skip("z") {
            let sign: Int
            if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
            guard let hours = scanner.number(digits: 2) else { return nil }
            _ = scanner.skip(":")
            let minutes = scanner.number(digits: 2) ?? 0
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard scanner.isAtEnd else { return nil }
        moment.tm_isdst = 0
        let utc = timegm(&moment)
        guard utc != -1 else { return nil }
        return (Int64(utc) - Int64(offsetSeconds)) * 1000 + Int64(milliseconds)
    }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `moment` read as local time (the daylight saving in force then decided by the C library).
    private static func local(_ moment: inout tm, milliseconds: Int) -> Int64? {
        moment.tm_isdst = -1
        let seconds = mktime(&moment)
        guard seconds != -1 else { return nil }
        return Int64(seconds) * 1000 + Int64(milliseconds)
    }

    /// Milliseconds of a relative time: `-10m`, `10m`, `10 min ago`, `1h30m`; `nil` otherwise.
    static func duration(_ text: String) -> Int64? {
        var rest = Substring(text)
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        if rest.hasSuffix("ago") { rest = rest.dropLast(3) }
        rest = Substring(rest.filter { $0 != " " })
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            guard let seconds = units.first(where: { $0.names.contains(String(unit)) })?.seconds else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * seconds
        }
        return Int64(total * 1000)
    }

    /// A Unix ms time as local date and time, `YYYY-MM-DD HH:MM:SS`.
    static func localText(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var moment = tm()
        localtime_r(&seconds, &moment)
        return String(
            printf: "%04d-%02d-%02d %02d:%02d:%02d", moment.tm_year + 1900, moment.tm_mon + 1, moment.tm_mday,
            moment.tm_hour, moment.tm_min, moment.tm_sec
        )
    }

    /// Reads a time string left to right.
    private struct Scanner {
        private var rest: Substring
        init(_ text: String) { rest = Substring(text) }
        var isAtEnd: Bool { rest.isEmpty }

        /// Skips `text` if it comes next.
        mutating func skip(_ text: String) -> Bool {
            guard rest.hasPrefix(text) else { return false }
            rest = rest.dropFirst(text.count)
            return true
        }

        /// Exactly `digits` decimal digits as a number.
        mutating func number(digits: Int) -> Int? {
            let prefix = rest.prefix(digits)
            guard prefix.count == digits, prefix.allSatisfy(\.isASCII), prefix.allSatisfy(\.isNumber), let value = Int(prefix) else {
                return nil
            }
            rest = rest.dropFirst(digits)
            return value
        }

        /// Every decimal digit that comes next.
        mutating func digits() -> String {
            let prefix = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(prefix.count)
            return String(prefix)
        }
    }
}
