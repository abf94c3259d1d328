import ArgumentParser
import Foundation

/// A moment on the command line, as Unix epoch milliseconds: relative (`-10m`, `10 min ago`,
/// `2h`), `now`, a local date and time (`2026-11-28 03:00`, `03:00` today), ISO 8601
/// (`2026-11-28T03:00:00Z`, with an offset) or Unix milliseconds.
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// Unix epoch milliseconds.
    let milliseconds: Int64

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    init?(argument: String) {
        guard let parsed = Self.parse(argument, now: Date()) else { return nil }
        milliseconds = parsed
    }

    static let help = "-10m, \"10 min ago\", 2026-11-28 03:00, 03:00, ISO 8601 or Unix ms"

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
    static func parse(_ text: String, now: Date) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        if trimmed == "now" { return nowMilliseconds }
        if let ago = duration(trimmed) { return nowMilliseconds - ago }
        if trimmed.count >= 11, trimmed.allSatisfy(\.isNumber), let value = Int64(trimmed) { return value }
        if let date = ISO8601DateFormatter().date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = .current
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        }
        // A time of day: today, local time.
        for format in ["HH:mm:ss", "HH:mm"] {
            local.dateFormat = format
            guard let time = local.date(from: text) else { continue }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .current
            let parts = calendar.dateComponents([.hour, .minute, .second], from: time)
            guard let today = calendar.date(bySettingHour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0, of: now)
            else { continue }
            return Int64(today.timeIntervalSince1970 * 1000)
        }
        return nil
    }

    /// Milliseconds of a relative time: `-10m`, `10m`, `10 min ago`, `1h30m`; `nil` otherwise.
    static func duration(_ text: String) -> Int64? {
        var rest = Substring(text)
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        if rest.hasSuffix("ago") { rest = rest.dropLast(3) }
        rest = Substring(rest.replacingOccurrences(of: " ", with: ""))
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
}
