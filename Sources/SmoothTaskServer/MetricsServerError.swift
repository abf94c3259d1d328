/// Why the metrics endpoint cannot listen where it was asked to.
public struct MetricsServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address as configured, e.g. `127.0.0.1:9464`.
    public var address: String
    /// What the system said, e.g. `Address already in use`.
    public var reason: String

    /// Creates the error.
    public init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }

    public var description: String {
        "cannot listen on \(address): \(reason); choose a free port or path, or set prometheus_listen to null"
    }
}
