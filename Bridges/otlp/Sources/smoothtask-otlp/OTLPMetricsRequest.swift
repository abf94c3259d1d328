import SmoothTaskExposition

/// Encodes SmoothTask's metric families as one OTLP `ExportMetricsServiceRequest` (protobuf), the body
/// of an OTLP/HTTP push: gauges as gauges, counters as monotonic cumulative sums, histograms as
/// explicit-bucket histograms whose bounds are the families' `le` edges.
///
/// swift-otel (the bridge's exporter up to now) has no public API for a histogram that is already
/// bucketed, and swift-metrics records observations one by one, so the bridge writes the OTLP
/// message itself. The field numbers are those of opentelemetry-proto's
/// `opentelemetry/proto/{collector/metrics,metrics,resource,common}/v1/*.proto` (stable since OTLP
/// 1.0; checked against opentelemetry-proto 1.45 by `make test-otlp`, whose receiver decodes every
/// push with that package).
///
/// Names stay the Prometheus family names (counters without `_total`), so a collector that
/// re-exports to Prometheus yields the names the daemon's own endpoint serves.
enum OTLPMetricsRequest {
    /// `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`.
    static let cumulative: UInt64 = 2

    /// The request's bytes.
    /// - Parameters:
    ///   - families: what to send, as `metrics.families` returned it.
    ///   - resource: the resource attributes (`service.name`, `host.name`).
    ///   - scope: the instrumentation scope's name and version.
    ///   - timeNanoseconds: Unix nanoseconds the values are as of (the collection they come from).
    ///   - startNanoseconds: Unix nanoseconds a counter's or histogram's series started counting.
    static func encode(
        _ families: [MetricFamily],
        resource: [(key: String, value: String)],
        scope: (name: String, version: String),
        timeNanoseconds: UInt64,
        startNanoseconds: (MetricFamily, MetricSample) -> UInt64
    ) -> [UInt8] {
        var request = ProtobufWriter()
        request.message(Field.exportResourceMetrics) { resourceMetrics in
            resourceMetrics.message(Field.resourceMetricsResource) { message in
                for attribute in resource { keyValue(&message, Field.resourceAttributes, attribute.key, attribute.value) }
            }
            resourceMetrics.message(Field.resourceMetricsScopeMetrics) { scopeMetrics in
                scopeMetrics.message(Field.scopeMetricsScope) { message in
                    message.string(Field.scopeName, scope.name)
                    message.string(Field.scopeVersion, scope.version)
                }
                for family in families {
                    scopeMetrics.message(Field.scopeMetricsMetrics) { metric in
                        encode(family, into: &metric, time: timeNanoseconds, start: startNanoseconds)
                    }
                }
            }
        }
        return request.bytes
    }

    private static func encode(
        _ family: MetricFamily, into metric: inout ProtobufWriter, time: UInt64, start: (MetricFamily, MetricSample) -> UInt64
    ) {
        metric.string(Field.metricName, family.name)
        metric.string(Field.metricDescription, family.help)
        if let unit = family.unit { metric.string(Field.metricUnit, ucumUnit(unit)) }
        switch family.type {
        case .gauge:
            metric.message(Field.metricGauge) { gauge in
                for sample in family.samples {
                    guard let value = sample.value else { continue }
                    gauge.message(Field.gaugeDataPoints) { point in
                        numberPoint(&point, sample, value, time: time, start: nil)
                    }
                }
            }
        case .counter:
            metric.message(Field.metricSum) { sum in
                for sample in family.samples {
                    guard let value = sample.value else { continue }
                    sum.message(Field.sumDataPoints) { point in
                        numberPoint(&point, sample, value, time: time, start: start(family, sample))
                    }
                }
                sum.varint(Field.sumAggregationTemporality, cumulative)
                sum.varint(Field.sumIsMonotonic, 1)
            }
        case .histogram:
            metric.message(Field.metricHistogram) { histogram in
                for sample in family.samples {
                    guard let snapshot = sample.histogram else { continue }
                    histogram.message(Field.histogramDataPoints) { point in
                        for label in sample.labels { keyValue(&point, Field.histogramPointAttributes, label.name, label.value) }
                        point.fixed64(Field.histogramPointStartTime, start(family, sample))
                        point.fixed64(Field.histogramPointTime, time)
                        point.fixed64(Field.histogramPointCount, snapshot.count)
                        point.double(Field.histogramPointSum, snapshot.sum)
                        point.packedFixed64(Field.histogramPointBucketCounts, bucketCounts(snapshot))
                        point.packedDouble(Field.histogramPointExplicitBounds, snapshot.upperBounds)
                    }
                }
                histogram.varint(Field.histogramAggregationTemporality, cumulative)
            }
        }
    }

    /// OTLP's per-bucket counts from Prometheus' cumulative ones: one per bound, then the overflow
    /// bucket above the last bound (Prometheus' `+Inf`, which is the count). A count below the one
    /// before it (never from the daemon) gives 0 rather than wrapping.
    static func bucketCounts(_ snapshot: HistogramSnapshot) -> [UInt64] {
        var counts: [UInt64] = []
        counts.reserveCapacity(snapshot.cumulativeCounts.count + 1)
        var below: UInt64 = 0
        for cumulative in snapshot.cumulativeCounts + [snapshot.count] {
            counts.append(cumulative >= below ? cumulative - below : 0)
            below = max(below, cumulative)
        }
        return counts
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

    private static func numberPoint(_ point: inout ProtobufWriter, _ sample: MetricSample, _ value: Double, time: UInt64, start: UInt64?) {
        for label in sample.labels { keyValue(&point, Field.numberPointAttributes, label.name, label.value) }
        if let start { point.fixed64(Field.numberPointStartTime, start) }
        point.fixed64(Field.numberPointTime, time)
        point.double(Field.numberPointAsDouble, value)
    }

    /// A `KeyValue` with a string `AnyValue`.
    private static func keyValue(_ writer: inout ProtobufWriter, _ field: Int, _ key: String, _ value: String) {
        writer.message(field) { keyValue in
            keyValue.string(Field.keyValueKey, key)
            keyValue.message(Field.keyValueValue) { $0.string(Field.anyValueString, value) }
        }
    }

    /// Field numbers of the OTLP messages written here, as the .proto files number them.
    private enum Field {
        static let exportResourceMetrics = 1  // ExportMetricsServiceRequest.resource_metrics
        static let resourceMetricsResource = 1  // ResourceMetrics.resource
        static let resourceMetricsScopeMetrics = 2  // ResourceMetrics.scope_metrics
        static let resourceAttributes = 1  // Resource.attributes
        static let scopeMetricsScope = 1  // ScopeMetrics.scope
        static let scopeMetricsMetrics = 2  // ScopeMetrics.metrics
        static let scopeName = 1  // InstrumentationScope.name
        static let scopeVersion = 2  // InstrumentationScope.version
        static let metricName = 1  // Metric.name
        static let metricDescription = 2  // Metric.description
        static let metricUnit = 3  // Metric.unit
        static let metricGauge = 5  // Metric.gauge
        static let metricSum = 7  // Metric.sum
        static let metricHistogram = 9  // Metric.histogram
        static let gaugeDataPoints = 1  // Gauge.data_points
        static let sumDataPoints = 1  // Sum.data_points
        static let sumAggregationTemporality = 2  // Sum.aggregation_temporality
        static let sumIsMonotonic = 3  // Sum.is_monotonic
        static let histogramDataPoints = 1  // Histogram.data_points
        static let histogramAggregationTemporality = 2  // Histogram.aggregation_temporality
        static let numberPointStartTime = 2  // NumberDataPoint.start_time_unix_nano (fixed64)
        static let numberPointTime = 3  // NumberDataPoint.time_unix_nano (fixed64)
        static let numberPointAsDouble = 4  // NumberDataPoint.as_double
        static let numberPointAttributes = 7  // NumberDataPoint.attributes
        static let histogramPointStartTime = 2  // HistogramDataPoint.start_time_unix_nano (fixed64)
        static let histogramPointTime = 3  // HistogramDataPoint.time_unix_nano (fixed64)
        static let histogramPointCount = 4  // HistogramDataPoint.count (fixed64)
        static let histogramPointSum = 5  // HistogramDataPoint.sum (optional double)
        static let histogramPointBucketCounts = 6  // HistogramDataPoint.bucket_counts (packed fixed64)
        static let histogramPointExplicitBounds = 7  // HistogramDataPoint.explicit_bounds (packed double)
        static let histogramPointAttributes = 9  // HistogramDataPoint.attributes
        static let keyValueKey = 1  // KeyValue.key
        static let keyValueValue = 2  // KeyValue.value
        static let anyValueString = 1  // AnyValue.string_value
    }
}
