/// The params of `metrics.get`, both optional: `{"at": UNIX_MS}` asks for the recorded collection
/// taken at or just before that time, `{"after": UNIX_MS}` for the first one taken after it (to step
/// through the history); without either the answer is the latest collection.
public struct MetricsGetParams: Codable, Sendable, Equatable {
    /// Unix epoch milliseconds: the recorded collection at or just before it.
    public var at: Int64?
    /// Unix epoch milliseconds: the first recorded collection strictly after it.
    public var after: Int64?

    /// Creates params.
    public init(at: Int64? = nil, after: Int64? = nil) {
        self.at = at
        self.after = after
    }

    /// True when the caller asks for a recorded collection rather than the latest one.
    public var asksForHistory: Bool { at != nil || after != nil }
}
