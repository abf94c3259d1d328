/// Writes metric families as Prometheus text 0.0.4 or OpenMetrics 1.0.0.
///
/// The differences it handles: OpenMetrics names a counter family without `_total` in `# TYPE`
/// and `# HELP`, writes `# UNIT` and `_created`, escapes `"` in help text, and ends with `# EOF`.
///
/// Every scrape runs it over the whole catalog, so it appends to one buffer and escapes only text
/// that needs it: no temporary label arrays or strings per sample.
public enum ExpositionEncoder {
    /// Bytes reserved per sample line up front: a name, two labels and a value fit.
    static let bytesPerSample = 96

    /// The families as one exposition in `format`.
    public static func encode(_ families: [MetricFamily], as format: ExpositionFormat) -> String {
        encode(families, after: "", as: format)
    }

    /// One exposition of the families ``render(_:as:)`` wrote as `rendered`, then `families`: the
    /// same text as encoding them all at once.
    public static func encode(_ families: [MetricFamily], after rendered: String, as format: ExpositionFormat) -> String {
        var text = rendered
        append(families, as: format, to: &text)
        if format == .openMetrics { text += "# EOF\n" }
        return text
    }

    /// The families' lines in `format` without OpenMetrics' closing `# EOF`, for
    /// ``encode(_:after:as:)`` to continue.
    public static func render(_ families: [MetricFamily], as format: ExpositionFormat) -> String {
        var text = ""
        append(families, as: format, to: &text)
        return text
    }

    private static func append(_ families: [MetricFamily], as format: ExpositionFormat, to text: inout String) {
        text.reserveCapacity(text.utf8.count + families.reduce(0) { $0 + $1.samples.count } * bytesPerSample)
        for family in families where !family.samples.isEmpty {
            let declaredName = format == .prometheus && family.type == .counter ? family.name + "_total" : family.name
            text += "# HELP "
            text += declaredName
            text += " "
            appendHelp(family.help, format, to: &text)
            text += "\n# TYPE "
            text += declaredName
            text += " "
            text += family.type.rawValue
            text += "\n"
            if format == .openMetrics, let unit = family.unit {
                text += "# UNIT "
                text += declaredName
                text += " "
                text += unit
                text += "\n"
            }
            // OpenMetrics only: Prometheus text 0.0.4 would read `_created` as a separate gauge.
            let created = format == .openMetrics && family.type != .gauge ? family.created.map(number) : nil
            let sampleName = family.type == .counter ? family.name + "_total" : family.name
            for sample in family.samples {
                if let histogram = sample.histogram {
                    appendHistogram(family.name, sample.labels, histogram, to: &text)
                } else if let value = sample.value {
                    appendLine(sampleName, "", sample.labels, nil, number(value), to: &text)
                }
                if let created { appendLine(family.name, "_created", sample.labels, nil, created, to: &text) }
            }
        }
    }

    private static func appendHistogram(_ name: String, _ labels: [MetricLabel], _ histogram: HistogramSnapshot, to text: inout String) {
        for (bound, count) in zip(histogram.upperBounds, histogram.cumulativeCounts) {
            appendLine(name, "_bucket", labels, number(bound), String(count), to: &text)
        }
        let count = String(histogram.count)
        appendLine(name, "_bucket", labels, "+Inf", count, to: &text)
        appendLine(name, "_count", labels, nil, count, to: &text)
        appendLine(name, "_sum", labels, nil, number(histogram.sum), to: &text)
    }

    /// One sample line: `<name><suffix>{<labels>[,le="<le>"]} <value>`.
    private static func appendLine(
        _ name: String, _ suffix: String, _ labels: [MetricLabel], _ le: String?, _ value: String, to text: inout String
    ) {
        text += name
        text += suffix
        if !labels.isEmpty || le != nil {
            text += "{"
            var first = true
            for label in labels {
                if !first { text += "," }
                first = false
                text += label.name
                text += "=\""
                appendLabelValue(label.value, to: &text)
                text += "\""
            }
            if let le {
                text += first ? "le=\"" : ",le=\""
                text += le
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += value
        text += "\n"
    }

    /// Integers without a fraction (both formats accept them), others as Swift's shortest
    /// round-tripping decimal; non-finite values in the spelling both formats define.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
        return value.description
    }

    /// Help text with `\` and newlines escaped, and `"` too in OpenMetrics.
    private static func appendHelp(_ help: String, _ format: ExpositionFormat, to text: inout String) {
        appendEscaped(help, escapingQuotes: format == .openMetrics, to: &text)
    }

    /// A label value with `\`, `"` and newlines escaped (both formats).
    private static func appendLabelValue(_ value: String, to text: inout String) {
        appendEscaped(value, escapingQuotes: true, to: &text)
    }

    /// `value` as is when it holds nothing to escape (nearly always), otherwise byte by byte: the
    /// escaped characters are ASCII, so a UTF-8 byte of any other character never matches them.
    private static func appendEscaped(_ value: String, escapingQuotes: Bool, to text: inout String) {
        func needsEscape(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (escapingQuotes && byte == UInt8(ascii: "\""))
        }
        guard value.utf8.contains(where: needsEscape) else {
            text += value
            return
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\n") {
                escaped += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            } else {
                if needsEscape(byte) { escaped.append(UInt8(ascii: "\\")) }
                escaped.append(byte)
            }
        }
        text += String(decoding: escaped, as: UTF8.self)
    }
}
