/// Where the Prometheus/OpenMetrics endpoint listens: a TCP address or a Unix socket path.
///
/// Written as `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464` or an absolute path such as
/// `/run/smoothtask/metrics.sock` (the daemon accepts only paths inside its metrics socket directory).
public enum MetricsListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A TCP listener on `host` (an IP address or `localhost`) and `port`, 1...65535.
    case tcp(host: String, port: Int)
    /// A Unix stream socket at an absolute path.
    case unix(path: String)

    /// The key this address is configured by, for error messages.
    public static let configKey = "prometheus_listen"

    /// Parses `text`; the error names ``configKey`` and shows an accepted form.
    public init(parsing text: String) throws(ConfigValidationError) {
        if text.hasPrefix("/") {
            self = .unix(path: text)
            return
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[close...].dropFirst().drop { $0 == ":" }
            guard text[close...].dropFirst().first == ":" else { throw Self.invalid(text) }
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw Self.invalid(text)
        }
        guard !host.isEmpty, let port = Int(portText), (1...65_535).contains(port) else { throw Self.invalid(text) }
        self = .tcp(host: String(host), port: port)
    }

    /// True for a Unix socket and for TCP on 127.0.0.0/8, `::1` or `localhost`: reachable from this
    /// machine only.
    public var isLoopback: Bool {
        switch self {
        case .unix: true
        case .tcp(let host, _): host == "localhost" || host == "::1" || host.hasPrefix("127.")
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): path
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    private static func invalid(_ text: String) -> ConfigValidationError {
        ConfigValidationError(
            field: configKey,
            message: "\(configKey) must be host:port (e.g. 127.0.0.1:9464, [::1]:9464) or an absolute "
                + "Unix socket path, or null to switch the endpoint off (got '\(text)')"
        )
    }
}
