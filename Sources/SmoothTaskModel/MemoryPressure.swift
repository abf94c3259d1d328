/// /proc/pressure/memory: the share of time tasks stalled waiting for memory.
public struct MemoryPressure: Codable, Sendable, Equatable {
    /// Percent of the last 10 s at least one task stalled on memory ("some avg10").
    public var someAvg10: Double
    /// Percent of the last 60 s at least one task stalled ("some avg60").
    public var someAvg60: Double
    /// Microseconds at least one task stalled, since boot ("some total").
    public var someTotalMicroseconds: UInt64
    /// Percent of the last 10 s all non-idle tasks stalled at once ("full avg10").
    public var fullAvg10: Double
    /// Microseconds all non-idle tasks stalled at once, since boot ("full total").
    public var fullTotalMicroseconds: UInt64

    /// Creates a pressure reading.
    public init(
        someAvg10: Double, someAvg60: Double, someTotalMicroseconds: UInt64, fullAvg10: Double,
        fullTotalMicroseconds: UInt64
    ) {
        self.someAvg10 = someAvg10
        self.someAvg60 = someAvg60
        self.someTotalMicroseconds = someTotalMicroseconds
        self.fullAvg10 = fullAvg10
        self.fullTotalMicroseconds = fullTotalMicroseconds
    }

    enum CodingKeys: String, CodingKey {
        case someAvg10 = "some_avg10"
        case someAvg60 = "some_avg60"
        case someTotalMicroseconds = "some_total_us"
        case fullAvg10 = "full_avg10"
        case fullTotalMicroseconds = "full_total_us"
    }
}
