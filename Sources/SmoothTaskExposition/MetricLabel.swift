/// One `name="value"` pair of a sample.
public struct MetricLabel: Codable, Sendable, Equatable {
    /// The label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    public var name: String
    /// The label value, any UTF-8; escaped when written.
    public var value: String

    /// Creates a label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
