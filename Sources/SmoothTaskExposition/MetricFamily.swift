/// A metric family: name, help, type, unit and its samples, independent of the text format.
public struct MetricFamily: Codable, Sendable, Equatable {
    /// The family name without `_total`, e.g. `smoothtask_syscalls`; for a family with a unit it
    /// ends in `_<unit>` (OpenMetrics requires it).
    public var name: String
    /// One line saying what the metric measures.
    public var help: String
    /// Counter, gauge or histogram.
    public var type: MetricType
    /// The base unit (`seconds`, `bytes`, `ratio`), or `nil` for a plain count.
    public var unit: String?
    /// The samples, one per label set.
    public var samples: [MetricSample]
    /// For a counter or histogram: Unix time its samples started counting from zero, written as
    /// OpenMetrics `_created` (Prometheus text has no place for it); `nil` when that is boot or unknown.
    public var created: Double?

    /// Creates a family.
    public init(
        name: String, help: String, type: MetricType, unit: String? = nil, samples: [MetricSample], created: Double? = nil
    ) {
        self.name = name
        self.help = help
        self.type = type
        self.unit = unit
        self.samples = samples
        self.created = created
    }
}
