import CoreMetrics
import Logging
import ServiceLifecycle
import SmoothTaskClient
import SmoothTaskExposition
import SmoothTaskModel
import SmoothTaskProtocol

/// Follows the daemon's `metrics.subscribe` stream and records each update, with the status and
/// per-unit CPU of the same moment, into an ``OTelMetricMirror``; reconnects when the daemon goes away.
struct MetricsBridge: Service {
    /// Wait before reconnecting: a restarting daemon (or systemd socket activation) is back within a
    /// second or two, and retrying faster would only fill the log.
    static let reconnectDelay: Duration = .seconds(2)

    /// The daemon's Unix socket.
    let socketPath: String
    /// Least milliseconds between two updates; the push interval, as updates in between would never be exported.
    let intervalMilliseconds: Int
    /// Where the instruments are created (swift-otel's OTLP metrics factory).
    let factory: any MetricsFactory
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var mirror = OTelMetricMirror(factory: factory, logger: logger)
            while !Task.isCancelled {
                do {
                    try await forward(into: &mirror)
                    logger.warning("smoothtaskd ended the subscription; reconnecting", metadata: ["socket": "\(socketPath)"])
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("cannot follow smoothtaskd; reconnecting", metadata: [
                        "socket": "\(socketPath)", "error": "\(error)",
                    ])
                }
                try? await Task.sleep(for: Self.reconnectDelay)
            }
        }
    }

    /// One connection's worth of updates, until the daemon closes it.
    private func forward(into mirror: inout OTelMetricMirror) async throws {
        let client = try await SmoothTaskClient.connect(socketPath: socketPath)
        do {
            let watch = try await MetricsWatch.start(
                socketPath: socketPath, params: SubscribeParams(intervalMilliseconds: intervalMilliseconds)
            )
            logger.info("following smoothtaskd", metadata: [
                "socket": "\(socketPath)", "interval_ms": "\(watch.settings.intervalMilliseconds)",
            ])
            for try await update in watch.updates {
                // The update carries the figures; status carries what changes at runtime beside them
                // (configuration, attached programs, the daemon's own usage).
                var status: DaemonStatus = try await client.call(.status)
                status.metrics = update
                mirror.record(MetricCatalog.families(from: ExportInput(
                    status: status,
                    cgroups: try await cgroups(client),
                    daemonCPUSeconds: status.overhead?.cpuTimeSeconds,
                    daemonResidentBytes: status.overhead?.rssBytes
                )))
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    /// CPU per unit, every unit the daemon reports (the catalog keeps the top N and sums the rest);
    /// `nil` while the daemon has none to give (no collection yet, the cgroup program off).
    private func cgroups(_ client: SmoothTaskClient) async throws -> CgroupsReport? {
        do {
            return try await client.call(
                .cgroupsTop, params: CgroupsTopParams(limit: CgroupsTopParams.maximumLimit, by: .unit)
            )
        } catch let error as RPCError {
            logger.debug("no per-unit CPU this time", metadata: ["reason": "\(error)"])
            return nil
        }
    }
}
