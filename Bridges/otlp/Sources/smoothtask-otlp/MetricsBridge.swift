import Foundation
import Logging
import ServiceLifecycle
import SmoothTaskClient
import SmoothTaskExposition
import SmoothTaskModel
import SmoothTaskProtocol

/// Follows the daemon's `metrics.subscribe` stream and, on each update, pushes the families
/// `metrics.families` returns (the ones `GET /metrics` serves, from the same input) as one OTLP
/// request; reconnects when the daemon goes away.
struct MetricsBridge: Service {
    /// Wait before reconnecting: a restarting daemon (or systemd socket activation) is back within a
    /// second or two, and retrying faster would only fill the log.
    static let reconnectDelay: Duration = .seconds(2)
    /// The family whose value is the time the others are as of.
    static let collectionTimeFamily = "smoothtask_collection_timestamp_seconds"

    /// The daemon's Unix socket.
    let socketPath: String
    /// Least milliseconds between two updates: the push interval.
    let intervalMilliseconds: Int
    /// Where the pushes go.
    let exporter: OTLPExporter
    /// `service.name`, `host.name`.
    let resource: [(key: String, value: String)]
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var starts = SeriesStartTimes(bootNanoseconds: Self.bootNanoseconds())
            while !Task.isCancelled {
                do {
                    try await forward(&starts)
                    logger.warning("smoothtaskd ended the subscription; reconnecting", metadata: ["socket": "\(socketPath)"])
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("cannot follow smoothtaskd; reconnecting", metadata: [
                        "socket": "\(socketPath)", "error": "\(error)",
                    ])
                }
                try? await Task.sleep(for: Self.reconnectDelay)
            }
        }
        await exporter.shutdown()
    }

    /// One connection's worth of updates, until the daemon closes it.
    private func forward(_ starts: inout SeriesStartTimes) async throws {
        let client = try await SmoothTaskClient.connect(socketPath: socketPath)
        do {
            let watch = try await MetricsWatch.start(
                socketPath: socketPath, params: SubscribeParams(intervalMilliseconds: intervalMilliseconds)
            )
            logger.info("following smoothtaskd", metadata: [
                "socket": "\(socketPath)", "interval_ms": "\(watch.settings.intervalMilliseconds)",
            ])
            for try await _ in watch.updates {
                let reply: MetricFamilies = try await client.call(.metricsFamilies)
                if let cut = reply.unavailable["families"] { logger.warning("not every family was sent", metadata: ["reason": "\(cut)"]) }
                try await push(reply.families, &starts)
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    /// Encodes and sends one push; a collector that refuses it is logged, and the next push goes on.
    private func push(_ families: [MetricFamily], _ starts: inout SeriesStartTimes) async throws {
        let collected = families.first { $0.name == Self.collectionTimeFamily }?.samples.first?.value
        let time = SeriesStartTimes.nanoseconds(collected ?? Date().timeIntervalSince1970)
        starts.advance(families, time: time)
        let body = OTLPMetricsRequest.encode(
            families, resource: resource, scope: (name: "smoothtask-otlp", version: SmoothTaskVersion.current),
            timeNanoseconds: time, startNanoseconds: { [starts] in starts.start($0, $1) }
        )
        do {
            try await exporter.export(body)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning("push failed; the next one carries the same counts", metadata: [
                "endpoint": "\(exporter.url)", "error": "\(error)",
            ])
        }
    }

    /// Unix nanoseconds of boot (`btime` of /proc/stat), the start of counters that count from it;
    /// 0 (unknown, which OTLP allows) if it cannot be read.
    static func bootNanoseconds() -> UInt64 {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let seconds = UInt64(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        else { return 0 }
        return seconds * 1_000_000_000
    }
}
