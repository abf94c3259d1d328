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
    private let startedAt = ContinuousClock.now
    private let configChanges: AsyncStream<EbpfConfig>.Continuation
    private let logger: Logger
    private let startUsage: SelfUsage?
    /// The daemon's usage after each of the last two collections: `overhead` reports the window between them.
    private var tickUsages: (previous: SelfUsage?, latest: SelfUsage?) = (nil, nil)

    /// The configuration in force.
    public private(set) var config: EbpfConfig
    /// The most recent collection; `nil` only before the daemon starts serving.
    public private(set) var metrics: EbpfMetrics?

    /// Each collection as it is taken, for `metrics.subscribe` callers.
    public nonisolated let updates = MetricsBroadcaster()

    /// Every accepted configuration, newest last, for the collection loop to follow; only the newest is kept.
    public nonisolated let configUpdates: AsyncStream<EbpfConfig>

    /// Creates the state around an initialized collector; call ``collect()`` before serving.
    public init(collector: EbpfMetricsCollector, support: EbpfSupport, config: EbpfConfig, logger: Logger) {
        self.collector = collector
        self.support = support
        self.config = config
        self.logger = logger
        (configUpdates, configChanges) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        startUsage = try? SelfUsage.read()
    }

    /// Takes one collection and makes it the latest.
    public func collect() async {
        let collected = await collector.collectMetrics()
        metrics = collected
        tickUsages = (tickUsages.latest, try? SelfUsage.read())
        updates.publish(collected)
    }

    /// Applies a validated patch: switches programs on or off and announces the new interval.
    public func apply(_ patch: EbpfConfigPatch) async throws(ConfigValidationError) -> EbpfConfig {
        let changed = try config.applying(patch)
        guard changed != config else { return config }
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

    /// The latest interval's processes as `query` asks (`processes.top`).
    public func topProcesses(_ query: ProcessTopQuery) async -> ProcessTop {
        await collector.topProcesses(query)
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
            ebpf: EbpfState(support: support, programs: await collector.programStatuses()),
            overhead: try await overhead()
        )
    }

    /// What the daemon and its programs cost, or `-32002` if /proc/self cannot be read.
    public func overhead() async throws(RPCError) -> DaemonOverhead {
        let now: SelfUsage
        do throws(ProcfsError) {
            now = try SelfUsage.read()
        } catch {
            throw RPCError(.unavailable, "cannot read the daemon's own usage: \(error)")
        }
        let start = startUsage ?? now
        // One whole interval once two collections are in; until then, everything since start.
        let (from, to) = tickUsages.previous.flatMap { previous in tickUsages.latest.map { (previous, $0) } } ?? (start, now)
        let statisticsOn = BPFStatisticsSwitch.isOn
        return DaemonOverhead(
            pid: getpid(),
            cpuPercent: to.cpuPercent(since: from),
            windowMilliseconds: Int64(to.takenAtNanoseconds - min(from.takenAtNanoseconds, to.takenAtNanoseconds)) / 1_000_000,
            cpuPercentSinceStart: now.cpuPercent(since: start),
            cpuTimeSeconds: Double(now.cpuNanoseconds) / 1e9,
            rssBytes: now.rssBytes,
            bpfStatsEnabled: statisticsOn,
            bpfStatsNote: BPFStatisticsSwitch.note(isOn: statisticsOn),
            programs: await collector.programOverheads(kernelKeepsStatistics: statisticsOn)
        )
    }

    /// Detaches every program; called once collection has stopped.
    public func shutdown() async {
        configChanges.finish()
        updates.finish()
        await collector.shutdown()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
