/// Writes metric families as Prometheus text 0.0.4 or OpenMetrics 1.0.0.
///
/// The differences it handles: OpenMetrics names a counter family without `_total` in `# TYPE`
/// and `# HELP`, writes `# UNIT` and `_created`, escapes `"` in help text, and ends with `# EOF`.
public enum ExpositionEncoder {
    /// The families as one exposition in `format`.
    public static func encode(_ families: [MetricFamily], as format: ExpositionFormat) -> String {
        var text = ""
        for family in families where !family.samples.isEmpty {
            let declaredName = format == .prometheus && family.type == .counter ? family.name + "_total" : family.name
            text += "# HELP \(declaredName) \(escapeHelp(family.help, format))\n"
            text += "# TYPE \(declaredName) \(family.type.rawValue)\n"
            if format == .openMetrics, let unit = family.unit { text += "# UNIT \(declaredName) \(unit)\n" }
            // OpenMetrics only: Prometheus text 0.0.4 would read `_created` as a separate gauge.
            let created = format == .openMetrics && family.type != .gauge ? family.created : nil
            for sample in family.samples {
                if let histogram = sample.histogram {
                    text += histogramLines(family.name, sample.labels, histogram)
                } else if let value = sample.value {
                    let name = family.type == .counter ? family.name + "_total" : family.name
                    text += "\(name)\(labelSet(sample.labels)) \(number(value))\n"
                }
                if let created { text += "\(family.name)_created\(labelSet(sample.labels)) \(number(created))\n" }
            }
        }
        if format == .openMetrics { text += "# EOF\n" }
        return text
    }

    private static func histogramLines(_ name: String, _ labels: [MetricLabel], _ histogram: HistogramSnapshot) -> String {
        var text = ""
        for (bound, count) in zip(histogram.upperBounds, histogram.cumulativeCounts) {
            text += "\(name)_bucket\(labelSet(labels + [MetricLabel("le", number(bound))])) \(count)\n"
        }
        text += "\(name)_bucket\(labelSet(labels + [MetricLabel("le", "+Inf")])) \(histogram.count)\n"
        text += "\(name)_count\(labelSet(labels)) \(histogram.count)\n"
        text += "\(name)_sum\(labelSet(labels)) \(number(histogram.sum))\n"
        return text
    }

    private static func labelSet(_ labels: [MetricLabel]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// Integers without a fraction (both formats accept them), others as Swift's shortest
    /// round-tripping decimal; non-finite values in the spelling both formats define.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
        return "\(value)"
    }

    private static func escapeHelp(_ help: String, _ format: ExpositionFormat) -> String {
        var escaped = help.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
        if format == .openMetrics { escaped = escaped.replacingAll("\"", with: "\\\"") }
        return escaped
    }

    private static func escapeLabelValue(_ value: String) -> String {
        value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
