/// A configuration value out of its allowed range, naming the field at fault.
public struct ConfigValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The wire name of the offending field, e.g. `collection_interval_ms`.
    public var field: String
    /// One sentence saying what is allowed, e.g. `collection_interval_ms must be 10...3600000 (got -5)`.
    public var message: String

    /// Creates the error for `field` with a message saying what is allowed.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
