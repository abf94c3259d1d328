/// The kernel's load averages: runnable plus uninterruptible tasks, exponentially averaged over 1, 5
/// and 15 minutes, from /proc/loadavg (`uptime` and `top` print the same three).
///
/// On the wire: `{"avg1": 0.52, "avg5": 0.48, "avg15": 0.40}`.
public struct LoadAverage: Codable, Sendable, Equatable {
    /// Average over the last minute, in tasks.
    public var oneMinute: Double
    /// Average over the last 5 minutes, in tasks.
    public var fiveMinutes: Double
    /// Average over the last 15 minutes, in tasks.
    public var fifteenMinutes: Double

    /// Creates a reading.
    public init(oneMinute: Double, fiveMinutes: Double, fifteenMinutes: Double) {
        self.oneMinute = oneMinute
        self.fiveMinutes = fiveMinutes
        self.fifteenMinutes = fifteenMinutes
    }

    enum CodingKeys: String, CodingKey {
        case oneMinute = "avg1"
        case fiveMinutes = "avg5"
        case fifteenMinutes = "avg15"
    }
}
