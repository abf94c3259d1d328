/// The kind of a metric family, as `# TYPE` names it.
public enum MetricType: String, Codable, Sendable {
    /// A cumulative count that only goes up; samples are named `<family>_total`.
    case counter
    /// A value that goes up and down.
    case gauge
    /// Observations counted into cumulative buckets, with their count and sum.
    case histogram
}
