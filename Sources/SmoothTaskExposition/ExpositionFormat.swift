/// The text formats the metrics endpoint speaks, chosen by the request's `Accept` header.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4: what every Prometheus-compatible scraper reads.
    case prometheus
    /// OpenMetrics 1.0.0 text: adds `# UNIT`, `# EOF` and counter families without `_total`.
    case openMetrics

    /// The `Content-Type` of a reply in this format.
    public var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// The format an `Accept` header prefers: OpenMetrics when it is listed with a higher (or the
    /// same, if listed first) quality than plain text; Prometheus text otherwise, or with no header.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheus }
        var best: (format: ExpositionFormat, quality: Double)?
        for range in accept.split(separator: ",") {
            let parameters = range.split(separator: ";").map { $0.trimmingSpaces() }
            guard let mediaType = parameters.first?.lowercased() else { continue }
            let format: ExpositionFormat
            switch mediaType {
            case "application/openmetrics-text": format = .openMetrics
            case "text/plain", "text/*", "*/*": format = .prometheus
            default: continue
            }
            let quality = parameters.dropFirst()
                .first { $0.hasPrefix("q=") }
                .flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > (best?.quality ?? 0) { best = (format, quality) }
        }
        return best?.format ?? .prometheus
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var trimmed = self
        while trimmed.first == " " || trimmed.first == "\t" { trimmed.removeFirst() }
        while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
