import CoreMetrics
import Logging
import SmoothTaskExposition

/// Mirrors SmoothTask's metric families (``MetricCatalog``, the same ones `GET /metrics` serves)
/// into swift-metrics instruments of an OTel metrics factory, which swift-otel exports over OTLP.
///
/// Names stay the Prometheus family names (`smoothtask_memory_used_bytes`, counters without
/// `_total`), so a collector that re-exports to Prometheus yields the names the daemon's own
/// endpoint serves. Gauges carry the latest value; counters are cumulative sums whose value equals
/// the daemon's count (each update adds the difference). Series that vanish (a unit leaving the
/// top N, a metric switched off) are withdrawn rather than left at a stale value.
struct OTelMetricMirror {
    /// One series: the family name and its label names and values, in order.
    private struct SeriesKey: Hashable {
        var name: String
        var labels: [String]

        init(_ family: MetricFamily, _ sample: MetricSample) {
            name = family.name
            labels = sample.labels.flatMap { [$0.name, $0.value] }
        }
    }

    private let factory: any MetricsFactory
    private let logger: Logger
    private var gauges: [SeriesKey: Gauge] = [:]
    private var counters: [SeriesKey: (counter: FloatingPointCounter, value: Double)] = [:]

    /// A mirror recording into `factory`.
    init(factory: any MetricsFactory, logger: Logger) {
        self.factory = factory
        self.logger = logger
    }

    /// Records `families`' samples; series of earlier calls missing from `families` are withdrawn.
    ///
    /// Histogram families are left out: swift-metrics records observations one by one and cannot
    /// carry a histogram that is already bucketed.
    mutating func record(_ families: [MetricFamily]) {
        var seenGauges = Set<SeriesKey>()
        var seenCounters = Set<SeriesKey>()
        for family in families {
            for sample in family.samples {
                guard let value = sample.value else { continue }
                let key = SeriesKey(family, sample)
                switch family.type {
                case .gauge:
                    seenGauges.insert(key)
                    gauge(for: key, family, sample).record(value)
                case .counter:
                    seenCounters.insert(key)
                    advance(key, family, sample, to: value)
                case .histogram:
                    continue
                }
            }
        }
        for (key, gauge) in gauges where !seenGauges.contains(key) {
            gauge.destroy()
            gauges[key] = nil
        }
        for (key, entry) in counters where !seenCounters.contains(key) {
            entry.counter.destroy()
            counters[key] = nil
        }
    }

    private mutating func gauge(for key: SeriesKey, _ family: MetricFamily, _ sample: MetricSample) -> Gauge {
        if let gauge = gauges[key] { return gauge }
        let gauge = Gauge(label: family.name, dimensions: dimensions(family, sample), factory: factory)
        gauges[key] = gauge
        return gauge
    }

    /// Adds what the daemon's count grew by; a count that went down (the daemon restarted or
    /// re-attached its program) starts the sum again from the new count.
    private mutating func advance(_ key: SeriesKey, _ family: MetricFamily, _ sample: MetricSample, to value: Double) {
        guard let entry = counters[key] else {
            let counter = FloatingPointCounter(label: family.name, dimensions: dimensions(family, sample), factory: factory)
            counter.increment(by: value)
            counters[key] = (counter, value)
            return
        }
        if value >= entry.value {
            entry.counter.increment(by: value - entry.value)
        } else {
            logger.notice("counter went down at its source; restarting its sum", metadata: [
                "metric": "\(key.name)", "was": "\(entry.value)", "now": "\(value)",
            ])
            entry.counter.reset()
            entry.counter.increment(by: value)
        }
        counters[key] = (entry.counter, value)
    }

    /// The labels as OTel attributes, plus the `unit` and `description` swift-otel reads from them.
    private func dimensions(_ family: MetricFamily, _ sample: MetricSample) -> [(String, String)] {
        var dimensions = sample.labels.map { ($0.name, $0.value) }
        dimensions.append(("description", family.help))
        if let unit = family.unit.map(Self.ucumUnit) { dimensions.append(("unit", unit)) }
        return dimensions
    }

    /// OTLP units are UCUM codes: `By` for bytes, `s` for seconds, `1` for a dimensionless ratio.
    static func ucumUnit(_ prometheusUnit: String) -> String {
        switch prometheusUnit {
        case "bytes": "By"
        case "seconds": "s"
        case "ratio": "1"
        default: prometheusUnit
        }
    }
}
