import Logging
import ServiceLifecycle
import SmoothTaskExposition
import SmoothTaskModel
import SmoothTaskServer

/// The opt-in Prometheus/OpenMetrics endpoint: follows `prometheus_listen` at runtime and serves
/// each scrape from ``DaemonState``'s latest snapshot (a scrape never collects), rendered once per
/// collection (``DaemonState/exposition(as:scrapeDurations:)``).
///
/// Runs as a `Service` so graceful shutdown closes its listener with the rest of the daemon.
public actor MetricsEndpoint: Service {
    private let allowNonLoopback: Bool
    private let socketDirectory: MetricsSocketDirectory
    private let logger: Logger
    private var server: MetricsHTTPServer?
    private var scrapeDurations = DurationHistogram()

    /// Creates an endpoint that listens nowhere until ``listen(on:state:)``.
    /// - Parameters:
    ///   - allowNonLoopback: whether TCP addresses other than loopback are accepted
    ///     (`smoothtaskd --allow-remote-metrics`); otherwise only 127.0.0.0/8, `::1`, `localhost` and
    ///     Unix sockets are.
    ///   - socketDirectory: the only directory a Unix-socket address may be in.
    public init(
        allowNonLoopback: Bool,
        socketDirectory: MetricsSocketDirectory = MetricsSocketDirectory(path: MetricsSocketDirectory.defaultPath),
        logger: Logger
    ) {
        self.allowNonLoopback = allowNonLoopback
        self.socketDirectory = socketDirectory
        self.logger = logger
    }

    /// How long earlier scrapes took, for `metrics.families` to carry the family `/metrics` serves.
    public var scrapeDurationSnapshot: HistogramSnapshot { scrapeDurations.snapshot }

    /// Where it listens now, `nil` when off.
    public var address: MetricsListenAddress? { server?.address }

    /// Moves the endpoint to `address`, or switches it off with `nil`. The new listener is bound
    /// before the old one closes, so a refused address leaves the endpoint as it was.
    /// - Throws: a ``ConfigValidationError`` naming `prometheus_listen`: the address is not loopback
    ///   and remote metrics were not allowed, a Unix path is outside the socket directory (see
    ///   ``MetricsSocketDirectory``), or it cannot be bound.
    public func listen(on address: MetricsListenAddress?, state: DaemonState) async throws(ConfigValidationError) {
        guard address != server?.address else { return }
        guard let address else {
            await server?.close()
            server = nil
            return
        }
        guard address.isLoopback || allowNonLoopback else {
            throw ConfigValidationError(
                field: MetricsListenAddress.configKey,
                message: "\(MetricsListenAddress.configKey) \(address) is not a loopback address or a Unix socket; "
                    + "start smoothtaskd with --allow-remote-metrics to serve metrics beyond this machine"
            )
        }
        if case .unix(let path) = address { try socketDirectory.admit(path) }
        let replacement: MetricsHTTPServer
        do {
            replacement = try await MetricsHTTPServer.start(
                on: address,
                responder: { [self] accept in await self.scrape(accept: accept, state: state) },
                logger: logger
            )
        } catch {
            throw ConfigValidationError(field: MetricsListenAddress.configKey, message: error.description)
        }
        await server?.close()
        server = replacement
    }

    public nonisolated func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    private func close() async {
        await server?.close()
        server = nil
    }

    private func scrape(accept: String?, state: DaemonState) async -> (contentType: String, body: String) {
        let started = ContinuousClock.now
        let format = ExpositionFormat.negotiate(accept: accept)
        let body: String
        do {
            body = try await state.exposition(as: format, scrapeDurations: scrapeDurations.snapshot)
        } catch {
            // Before the first collection: an empty but valid exposition, not an error page.
            body = ExpositionEncoder.encode([], as: format)
        }
        scrapeDurations.observe(ContinuousClock.now - started)
        return (format.contentType, body)
    }
}
