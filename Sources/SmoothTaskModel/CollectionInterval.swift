/// A collection interval as people write it: `250ms`, `2s`, `1.5s`, `1m`, `1h`.
public struct CollectionInterval: Sendable, Equatable, CustomStringConvertible {
    /// The interval in whole milliseconds, within ``EbpfConfig/allowedIntervalMilliseconds``.
    public let milliseconds: Int

    private static let millisecondsPerUnit: [(suffix: String, milliseconds: Double)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
    ]

    /// Parses `text`, refusing a missing unit, a non-positive value, or one outside 10ms...1h.
    public init(parsing text: String) throws(ConfigValidationError) {
        let field = "collection_interval_ms"
        let trimmed = text.filter { !$0.isWhitespace }.lowercased()
        let unit = Self.millisecondsPerUnit.first { trimmed.hasSuffix($0.suffix) && Double(trimmed.dropLast($0.suffix.count)) != nil }
        let outOfRange = "interval must be between 10ms and 1h (got \(text))"
        guard let unit, let amount = Double(trimmed.dropLast(unit.suffix.count)) else {
            if let bare = Double(trimmed) {
                throw ConfigValidationError(
                    field: field,
                    message: bare > 0 ? "'\(text)' has no unit: write \(trimmed)ms or \(trimmed)s" : outOfRange
                )
            }
            throw ConfigValidationError(field: field, message: "'\(text)' is not a duration: write it like 250ms, 2s, 1m or 1h")
        }
        let value = amount * unit.milliseconds
        guard value.isFinite, Double(EbpfConfig.minimumIntervalMilliseconds)...Double(EbpfConfig.maximumIntervalMilliseconds) ~= value
        else {
            throw ConfigValidationError(field: field, message: outOfRange)
        }
        milliseconds = Int(value.rounded())
    }

    /// The interval written the shortest way: `250ms`, `2s`, `1m`, `1.5s`.
    public var description: String { Self.format(milliseconds: milliseconds) }

    /// A measured window as a label: a window runs from one collection to the next, a few
    /// milliseconds over or under the interval, so it is rounded to a step that hides that jitter
    /// (10 ms below 0.5 s, 100 ms below 10 s, then 1 s, then 10 s): 999 ms, 1001 ms and 990 ms all
    /// print `1s`, 248 ms `250ms`, 1480 ms `1.5s`. The exact figure stays in `window_ms`.
    public static func formatWindow(milliseconds: Int64) -> String {
        guard milliseconds >= 10 else { return "\(max(milliseconds, 0))ms" }
        let step: Int64 = switch milliseconds {
        case ..<500: 10
        case ..<10_000: 100
        case ..<100_000: 1_000
        default: 10_000
        }
        return format(milliseconds: Int((milliseconds + step / 2) / step * step))
    }

    /// Formats a millisecond count the way ``init(parsing:)`` reads it.
    public static func format(milliseconds: Int) -> String {
        for unit in millisecondsPerUnit.reversed() where unit.milliseconds > 1 {
            let value = Double(milliseconds) / unit.milliseconds
            if value >= 1, (value * 1000).rounded() == value * 1000 {
                return value.rounded() == value ? "\(Int(value))\(unit.suffix)" : "\(value)\(unit.suffix)"
            }
        }
        return "\(milliseconds)ms"
    }
}
