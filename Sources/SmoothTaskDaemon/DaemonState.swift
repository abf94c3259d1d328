import Foundation
import Logging
import SmoothTaskCollectors
import SmoothTaskModel
import SmoothTaskProtocol

/// The daemon's single source of truth: configuration in force, latest collection, eBPF state.
///
/// Collection writes here once per tick; requests only read it or, for `config.set`, go through
/// ``apply(_:)``, so a slow client never blocks a collection.
public actor DaemonState {
    private let collector: EbpfMetricsCollector
    private let support: EbpfSupport
    private let store: ConfigStore?
    private let socketActivated: Bool
    private let startedAt = ContinuousClock.now
    private let configChanges: AsyncStream<EbpfConfig>.Continuation
    private let logger: Logger

    /// The configuration in force.
    public private(set) var config: EbpfConfig
    /// The most recent collection; `nil` only before the daemon starts serving.
    public private(set) var metrics: EbpfMetrics?

    /// Every accepted configuration, newest last, for the collection loop to follow; only the newest is kept.
    public nonisolated let configUpdates: AsyncStream<EbpfConfig>

    /// Creates the state around an initialized collector; call ``collect()`` before serving.
    /// - Parameters:
    ///   - store: where accepted changes are persisted; `nil` keeps them in memory only.
    ///   - socketActivated: whether the daemon serves on a socket systemd passed, for `diagnostics`.
    public init(
        collector: EbpfMetricsCollector,
        support: EbpfSupport,
        config: EbpfConfig,
        store: ConfigStore? = nil,
        socketActivated: Bool = false,
        logger: Logger
    ) {
        self.collector = collector
        self.support = support
        self.store = store
        self.socketActivated = socketActivated
        self.config = config
        self.logger = logger
        (configUpdates, configChanges) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Takes one collection and makes it the latest.
    public func collect() async {
        metrics = await collector.collectMetrics()
    }

    /// Applies a validated patch: writes it to the configuration file, then switches programs on or
    /// off and announces the new interval. Nothing changes if validation or the write fails.
    public func apply(_ patch: EbpfConfigPatch) async throws(ConfigChangeError) -> EbpfConfig {
        let changed: EbpfConfig
        do {
            changed = try config.applying(patch)
        } catch {
            throw .invalid(error)
        }
        guard changed != config else { return config }
        do {
            try store?.save(changed)
        } catch {
            throw .notSaved(error)
        }
        return await enforce(changed)
    }

    /// Makes `loaded` (already validated, e.g. re-read from the file on SIGHUP) the configuration in
    /// force, without writing it back.
    public func replace(with loaded: EbpfConfig) async -> EbpfConfig {
        guard loaded != config else { return config }
        return await enforce(loaded)
    }

    private func enforce(_ changed: EbpfConfig) async -> EbpfConfig {
        config = changed
        await collector.apply(config: changed)
        configChanges.yield(changed)
        return changed
    }

    /// The latest collection, or `-32002` if none has been taken yet.
    public func latestMetrics() throws(RPCError) -> EbpfMetrics {
        guard let metrics else { throw RPCError(.unavailable, "no collection has been taken yet; try again in a second") }
        return metrics
    }

    /// Everything `status` reports.
    public func status() async throws(RPCError) -> DaemonStatus {
        let metrics = try latestMetrics()
        return DaemonStatus(
            version: SmoothTaskVersion.current,
            protocolVersion: ProtocolConstants.version,
            pid: getpid(),
            uptimeSeconds: Self.seconds(ContinuousClock.now - startedAt),
            config: config,
            metrics: metrics,
            ebpf: EbpfState(support: support, programs: await collector.programStatuses())
        )
    }

    /// Everything `diagnostics` reports, checked now from this process.
    public func diagnostics() async -> DaemonDiagnostics {
        DaemonDiagnostics(
            pid: getpid(),
            uid: getuid(),
            configPath: store?.path,
            socketActivated: socketActivated,
            checks: SystemDiagnostics.run(),
            programs: await collector.programStatuses()
        )
    }

    /// Detaches every program; called once collection has stopped.
    public func shutdown() async {
        configChanges.finish()
        await collector.shutdown()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
