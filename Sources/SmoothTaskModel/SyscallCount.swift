/// How often one syscall returned over the last interval.
public struct SyscallCount: Codable, Sendable, Equatable {
    /// The syscall number on the daemon's architecture.
    public var id: UInt32
    /// Its name from the kernel headers, e.g. `openat`; `nil` for a number the table does not know.
    public var name: String?
    /// Times it returned during the interval.
    public var count: UInt64
    /// Times per second.
    public var ratePerSecond: Double

    /// Creates a count.
    public init(id: UInt32, name: String?, count: UInt64, ratePerSecond: Double) {
        self.id = id
        self.name = name
        self.count = count
        self.ratePerSecond = ratePerSecond
    }

    enum CodingKeys: String, CodingKey {
        case id, name, count
        case ratePerSecond = "rate_per_s"
    }
}
