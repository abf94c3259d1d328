/// The result of `metrics.families`: the families `GET /metrics` serves, typed, so an exporter that
/// speaks another format (the OTLP bridge) cannot drift from the endpoint.
public struct MetricFamilies: Codable, Sendable, Equatable {
    /// Every family with at least one sample, in exposition order (``MetricCatalog/families(from:)``).
    public var families: [MetricFamily]
    /// Why families are missing, by topic; `families` when the reply was cut to fit its frame.
    public var unavailable: [String: String]

    /// Creates a result.
    public init(families: [MetricFamily], unavailable: [String: String] = [:]) {
        self.families = families
        self.unavailable = unavailable
    }
}
