#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskModel

/// The params of a `metrics.update` notification: one collection, with only the subscribed groups.
///
/// Keys of other groups are absent (not `null`, which means "cannot be measured"); `timestamp`,
/// `window_ms` and the `sources`/`unavailable` entries of the subscribed groups are always there.
public struct MetricsUpdate: Encodable, Sendable {
    /// The collection, already filtered for what the subscriber may see.
    public var metrics: EbpfMetrics
    /// The groups to include.
    public var groups: [MetricGroup]

    /// Creates the params for `metrics` restricted to `groups`.
    public init(metrics: EbpfMetrics, groups: [MetricGroup]) {
        self.metrics = metrics
        self.groups = groups
    }

    public func encode(to encoder: any Encoder) throws {
        guard case .object(var fields) = try JSONDecoder().decode(JSONValue.self, from: RPCCoding.encoder.encode(metrics)) else {
            throw EncodingError.invalidValue(metrics, .init(codingPath: [], debugDescription: "metrics did not encode as an object"))
        }
        let excluded = MetricGroup.allCases.filter { !groups.contains($0) }
        for group in excluded {
            for key in group.metricKeys { fields.removeValue(forKey: key) }
        }
        let keptSources = Set(groups.map(\.sourceName))
        for key in ["sources", "unavailable"] {
            if case .object(let entries) = fields[key] {
                fields[key] = .object(entries.filter { keptSources.contains($0.key) })
            }
        }
        try JSONValue.object(fields).encode(to: encoder)
    }
}
