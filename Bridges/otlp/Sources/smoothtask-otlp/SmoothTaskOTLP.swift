import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import SmoothTaskProtocol

/// `smoothtask-otlp`: pushes the metrics smoothtaskd exports on `GET /metrics` to an OpenTelemetry
/// collector over OTLP/HTTP (protobuf).
@main
struct SmoothTaskOTLP: AsyncParsableCommand {
    /// Shortest push interval: OTLP exports are whole batches over HTTP, and the daemon collects
    /// at most every 100 ms anyway.
    static let minimumIntervalSeconds = 0.1
    /// Longest push interval, the daemon's own limit for a subscription (an hour).
    static let maximumIntervalSeconds = Double(SubscribeParams.allowedIntervalMilliseconds.upperBound) / 1000

    static let configuration = CommandConfiguration(
        commandName: "smoothtask-otlp",
        abstract: "Push smoothtaskd's metrics to an OpenTelemetry collector over OTLP/HTTP.",
        discussion: """
            Subscribes to smoothtaskd (metrics.subscribe) and, at each update, pushes the metric \
            families of its Prometheus endpoint (metrics.families; docs/metrics.md), same names, as \
            OTLP metrics with resource attributes service.name=smoothtask and host.name: gauges, \
            counters as monotonic cumulative sums, histograms as explicit-bucket histograms. Runs \
            until SIGTERM or SIGINT; reconnects when the daemon restarts. The standard \
            OTEL_EXPORTER_OTLP_[METRICS_]{HEADERS,TIMEOUT,CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY} \
            environment variables are honoured; pushes are not compressed.

            Example: smoothtask-otlp --endpoint http://127.0.0.1:4318 --interval 15
            """
    )

    @Option(name: .long, help: ArgumentHelp("The daemon's Unix socket (env SMOOTHTASK_SOCKET).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment[ProtocolConstants.socketPathEnvironmentVariable]
        ?? ProtocolConstants.defaultSocketPath

    @Option(name: .long, help: ArgumentHelp(
        "The collector's OTLP/HTTP base URL; metrics go to <url>/v1/metrics.", valueName: "url"
    ))
    var endpoint: String = "http://localhost:4318"

    @Option(name: .long, help: ArgumentHelp("Seconds between two pushes (0.1 to 3600).", valueName: "seconds"))
    var interval: Double = 10

    func validate() throws {
        guard (Self.minimumIntervalSeconds...Self.maximumIntervalSeconds).contains(interval) else {
            throw ValidationError("--interval must be \(Self.minimumIntervalSeconds)...\(Self.maximumIntervalSeconds) seconds (got \(interval))")
        }
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--endpoint must be an http:// or https:// URL such as http://127.0.0.1:4318 (got '\(endpoint)')")
        }
    }

    func run() async throws {
        let logger = Logger(label: "smoothtask-otlp")
        let milliseconds = Int((interval * 1000).rounded())
        let exporter = try OTLPExporter(endpoint: endpoint, environment: ProcessInfo.processInfo.environment, logger: logger)
        let bridge = MetricsBridge(
            socketPath: socket, intervalMilliseconds: milliseconds, exporter: exporter,
            resource: [(key: "service.name", value: "smoothtask"), (key: "host.name", value: Self.hostName())],
            logger: logger
        )
        let group = ServiceGroup(services: [bridge], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        logger.notice("pushing metrics over OTLP/HTTP", metadata: ["endpoint": "\(exporter.url)", "interval_s": "\(interval)"])
        try await group.run()
    }

    /// The kernel's host name, as `hostname` prints it (what OTel's `host.name` asks for);
    /// Foundation's `hostName` may resolve it through DNS instead.
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: Int(HOST_NAME_MAX) + 1)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
