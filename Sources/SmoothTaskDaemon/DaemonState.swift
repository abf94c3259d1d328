import Foundation
import Logging
import NIOCore
import SmoothTaskCollectors
import SmoothTaskExposition
import SmoothTaskHistory
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import Synchronization

/// The daemon's single source of truth: configuration in force, latest collection, eBPF state.
///
/// Collection writes here once per tick; requests only read it or, for `config.set`, go through
/// ``apply(_:)``, so a slow client never blocks a collection.
///
/// Anything holding per-process rows leaves only as a ``Visible`` value made for the caller's
/// ``Viewer``: the raw collection, status and process table are private, so a new method cannot
/// skip the visibility step.
public actor DaemonState {
    private let collector: EbpfMetricsCollector
    private let metricsEndpoint: MetricsEndpoint?
    private let startedAtEpochSeconds = Date().timeIntervalSince1970
    private var collectionDurations = DurationHistogram()
    /// The exposition's cumulative counters, advanced once per collection.
    private var counters: CounterExport
    /// The most recent per-cgroup collection; `nil` only before the daemon starts serving.
    public private(set) var cgroups: CgroupsReport?
    /// Events each BPF map could not record because it was full, as of the latest collection that read it.
    private var mapFullDrops: [String: UInt64] = [:]
    private let support: EbpfSupport
    private let store: ConfigStore?
    private let socketActivated: Bool
    /// Why the configuration file was last refused (at start or on SIGHUP); `nil` once a good file
    /// is loaded or a `config.set` has rewritten it.
    private var configFileError: String?
    private let startedAt = ContinuousClock.now
    private let configChanges: AsyncStream<EbpfConfig>.Continuation
    /// Held by ``apply(_:caller:)`` and ``replace(with:)`` from reading ``config`` to enforcing the new one.
    private let changeLock = ConfigChangeLock()
    private let logger: Logger
    /// Records each collection (issue 14); `nil` in daemons built without a state directory (tests).
    nonisolated let history: HistoryRecorder?
    private let startUsage: SelfUsage?
    /// The daemon's usage after each of the last two collections: `overhead` reports the window between them.
    private var tickUsages: (previous: SelfUsage?, latest: SelfUsage?) = (nil, nil)
    /// The CPU of the daemon's monitoring work (``EbpfMetricsCollector/monitoringCPU`` and the
    /// history writer's), read with each of ``tickUsages``: see ``daemonShare(whole:monitored:)``.
    private var tickMonitoringNanoseconds: (previous: UInt64?, latest: UInt64?) = (nil, nil)
    /// Connections, requests and scrapes so far: a window in which it did not move served no client.
    private nonisolated let clientActivity = Atomic<UInt64>(0)
    /// ``clientActivity`` at the latest collection.
    private var clientActivityAtTick: UInt64 = 0
    /// The daemon's whole CPU over its monitoring work's, in the latest window that served no client:
    /// what the per-thread measure leaves out (thread wake-ups, the governor's reads, the history
    /// queue's own threads), as a ratio. `nil` until such a window.
    private var unmeasuredRatio: Double?
    /// Keeps `max_overhead_percent` after each collection; `nil` in daemons built without one (tests).
    private let governor: OverheadGovernor?
    /// The governor's latest report, for `overhead`, `status` and the exposition (through
    /// ``currentBudget()``, which evaluates ``unevaluatedWindow`` first).
    private var budget: OverheadBudget?
    /// The latest window the governor has not evaluated: with `max_overhead_percent` 0 it has
    /// nothing to keep (nothing shed, nothing to shed), so it evaluates only when a caller reads
    /// the report, instead of every collection (7% of an idle tick's collection thread).
    private var unevaluatedWindow: BudgetWindow?
    /// Gives the heap's free pages back after a burst of clients.
    private var heapTrim = HeapTrim()

    /// The configuration in force.
    public private(set) var config: EbpfConfig
    /// The most recent collection; `nil` only before the daemon starts serving. Private: callers
    /// get it through ``metrics(for:)``, redacted.
    private var metrics: EbpfMetrics? {
        didSet { preparedMetrics.clear() }
    }
    /// Per format, the exposition of every family but the scrapes' own histogram, rendered by the
    /// first scrape after each collection or configuration change (``exposition(as:scrapeDurations:)``):
    /// nothing in it changes in between, and rendering the catalog is most of a scrape's cost.
    private var renderedExpositions: [ExpositionFormat: String] = [:]
    /// Counts the changes that empty ``renderedExpositions`` and ``preparedStatus``, so a rendering or
    /// status that awaited across one is not kept.
    private var reportsGeneration: UInt64 = 0
    /// ``metrics`` as JSON, encoded by the first `metrics.get` after each collection, for this actor
    /// and for the socket server's event loops, which answer with it unawaited.
    private nonisolated let preparedMetrics = ReadyReply<ByteBuffer>()
    /// `status` as JSON but for its uptime, encoded by the first `status` after each collection or
    /// configuration change, for the same two paths.
    private nonisolated let preparedStatus = ReadyReply<EncodedStatus>()

    /// Each collection as it is taken, for `metrics.subscribe` callers through ``collections(for:)``.
    private nonisolated let updates = MetricsBroadcaster()

    /// Every accepted configuration, newest last, for the collection loop to follow; only the newest is kept.
    public nonisolated let configUpdates: AsyncStream<EbpfConfig>

    /// Creates the state around initialized collectors; call ``collect()`` before serving.
    /// - Parameters:
    ///   - metricsEndpoint: follows `prometheus_listen` on each accepted change; `nil` refuses any
    ///     change of it.
    ///   - store: where accepted changes are persisted; `nil` keeps them in memory only.
    ///   - socketActivated: whether the daemon serves on a socket systemd passed, for `diagnostics`.
    public init(
        collector: EbpfMetricsCollector,
        metricsEndpoint: MetricsEndpoint?,
        support: EbpfSupport,
        config: EbpfConfig,
        store: ConfigStore? = nil,
        socketActivated: Bool = false,
        configFileError: String? = nil,
        history: HistoryRecorder? = nil,
        governor: OverheadGovernor? = nil,
        logger: Logger
    ) {
        self.history = history
        self.governor = governor
        self.configFileError = configFileError
        self.collector = collector
        self.metricsEndpoint = metricsEndpoint
        self.support = support
        self.store = store
        self.socketActivated = socketActivated
        self.config = config
        self.logger = logger
        (configUpdates, configChanges) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        startUsage = try? SelfUsage.read()
        counters = CounterExport(createdSeconds: startedAtEpochSeconds)
    }

    /// Takes one collection and makes it the latest.
    public func collect() async {
        let started = ContinuousClock.now
        let collection = await collector.collect()
        let collected = collection.metrics
        cgroups = collection.cgroups
        mapFullDrops.merge(collection.mapFullDrops) { $1 }
        counters.advance(
            readings: await collector.counterReadings(), cgroups: cgroups, cgroupLimit: config.prometheusCgroupLimit
        )
        // Encoded before it replaces the latest when the previous collection was asked for: clients
        // that poll then find the new reply ready on the event loop, instead of all of them (100 in
        // the rpc bench) taking the task and actor path until the first one encodes it.
        let encoded = preparedMetrics.wasAsked ? try? RPCCoding.encoder.encode(collected) : nil
        let statusPolled = preparedStatus.wasAsked
        metrics = collected
        if let encoded { preparedMetrics.publish(ByteBuffer(bytes: encoded), asked: false) }
        tickUsages = (tickUsages.latest, try? SelfUsage.read())
        tickMonitoringNanoseconds = (tickMonitoringNanoseconds.latest, collector.monitoringCPU.nanoseconds + (history?.writerCPUNanoseconds ?? 0))
        if let latest = tickUsages.latest { heapTrim.check(residentBytes: latest.rssBytes) }
        // Only over a whole interval: the first window also holds the daemon's start-up.
        if governor != nil, let previous = tickUsages.previous, let latest = tickUsages.latest,
            let monitoredBefore = tickMonitoringNanoseconds.previous, let monitored = tickMonitoringNanoseconds.latest
        {
            let windowNanoseconds = latest.takenAtNanoseconds - min(previous.takenAtNanoseconds, latest.takenAtNanoseconds)
            let monitoredPercent = windowNanoseconds > 0 ? Double(monitored - min(monitoredBefore, monitored)) / Double(windowNanoseconds) * 100 : 0
            unevaluatedWindow = BudgetWindow(
                daemonPercent: daemonShare(whole: latest.cpuPercent(since: previous), monitored: monitoredPercent),
                windowMilliseconds: Int64(windowNanoseconds / 1_000_000),
                syscallRate: collected.syscallRate
            )
            // Without a limit, the evaluation after the change to 0 still runs: it restores what is shed.
            let budgetKept = config.maxOverheadPercent > 0 || budget.map { $0.limitPercent > 0 || !$0.shed.isEmpty } == true
            if budgetKept { _ = await currentBudget() }
        }
        collectionDurations.observe(ContinuousClock.now - started)
        reportsChanged()
        if statusPolled { _ = try? await encodedStatus(asked: false) }
        updates.publish(collected)
        if let history {
            // Handed over as it is; the writer's thread names the processes, encodes and writes.
            let samples = collector.processWindowSamples()
            let cgroups = cgroups
            history.record {
                let taken = samples()
                return RecordedCollection(
                    timestamp: collected.timestamp, windowMilliseconds: collected.windowMilliseconds, metrics: collected,
                    processes: taken?.samples, cgroups: cgroups, windowNanoseconds: taken?.windowNanoseconds
                )
            }
        }
    }

    /// Applies a validated patch: writes it to the configuration file, then switches programs on or
    /// off and announces the new interval. Nothing changes if validation or the write fails.
    ///
    /// Changes run one at a time, in arrival order (``ConfigChangeLock``), and each accepted one is
    /// logged at `notice` before the next starts, so the log's `config.before` of one line is the
    /// `config.after` of the previous one.
    /// - Parameter caller: who asked, for the log line.
    public func apply(_ patch: EbpfConfigPatch, caller: Logger.Metadata = [:]) async throws(ConfigChangeError) -> EbpfConfig {
        await changeLock.acquire()
        defer { changeLock.release() }
        let before = config
        let changed: EbpfConfig
        do {
            changed = try before.applying(patch)
        } catch {
            throw .invalid(error)
        }
        guard changed != before else { return before }
        let endpointMoves = changed.prometheusListen != before.prometheusListen
        if endpointMoves {
            do {
                try await moveMetricsEndpoint(to: changed)
            } catch {
                throw .invalid(error)
            }
        }
        do {
            try store?.save(changed)
        } catch {
            // Nothing may change when the change is refused: put the endpoint back where it was.
            if endpointMoves { try? await moveMetricsEndpoint(to: before) }
            throw .notSaved(error)
        }
        // The file now holds a configuration this daemon wrote, so an earlier refusal no longer applies.
        configFileError = nil
        let after = await enforce(changed)
        logger.notice(
            "Configuration changed",
            metadata: caller.merging([
                "config.before": "\(AuditText.bounded("\(before)"))", "config.after": "\(AuditText.bounded("\(after)"))",
            ]) { $1 }
        )
        return after
    }

    /// Makes `loaded` (already validated, e.g. re-read from the file on SIGHUP) the configuration in
    /// force, without writing it back. An endpoint address that cannot be bound keeps the old one.
    /// Waits for a `config.set` in progress, like another change would.
    public func replace(with loaded: EbpfConfig) async -> EbpfConfig {
        await changeLock.acquire()
        defer { changeLock.release() }
        guard loaded != config else { return config }
        var accepted = loaded
        if loaded.prometheusListen != config.prometheusListen {
            do {
                try await moveMetricsEndpoint(to: loaded)
            } catch {
                logger.warning("Metrics endpoint kept", metadata: ["reason": "\(AuditText.bounded(error.message))"])
                accepted.prometheusListen = config.prometheusListen
            }
        }
        return await enforce(accepted)
    }

    private func moveMetricsEndpoint(to changed: EbpfConfig) async throws(ConfigValidationError) {
        guard let metricsEndpoint else {
            throw ConfigValidationError(field: MetricsListenAddress.configKey, message: "this daemon has no metrics endpoint")
        }
        try await metricsEndpoint.listen(on: changed.metricsListenAddress(), state: self)
    }

    private func enforce(_ changed: EbpfConfig) async -> EbpfConfig {
        config = changed
        reportsChanged()
        await collector.apply(config: changed)
        // Programs attached or detached while it awaited: a scrape meanwhile saw them half done.
        reportsChanged()
        history?.apply(changed)
        configChanges.yield(changed)
        return changed
    }

    /// The latest collection as `viewer` may see it (`metrics.get` for a restricted caller), or
    /// `-32002` if none has been taken yet.
    func metrics(for viewer: Viewer) throws(RPCError) -> Visible<EbpfMetrics> {
        Visible(try latestMetrics(), for: viewer)
    }

    /// The latest collection with its JSON, encoded once per collection however many callers ask;
    /// `nil` when `viewer` does not see every process (ask ``metrics(for:)`` then).
    func encodedMetrics(for viewer: Viewer) throws(RPCError) -> Visible<EncodedResult>? {
        guard viewer.seesEverything else { return nil }
        let metrics = try latestMetrics()
        if let json = preparedMetrics.current {
            return Visible(whole: EncodedResult(metrics, json: Data(json.readableBytesView)), for: viewer)
        }
        do {
            let encoded = try EncodedResult(metrics)
            preparedMetrics.publish(ByteBuffer(bytes: encoded.json), asked: true)
            return Visible(whole: encoded, for: viewer)
        } catch {
            throw RPCError(.internalError, "metrics could not be encoded: \(error)")
        }
    }

    /// The JSON ``encodedMetrics(for:)`` made for the latest collection, without waiting for this
    /// actor; `nil` when `viewer` does not see every process or the collection is not encoded yet.
    nonisolated func readyMetrics(for viewer: Viewer) -> Visible<ByteBuffer>? {
        guard viewer.seesEverything, let json = preparedMetrics.current else { return nil }
        return Visible(whole: json, for: viewer)
    }

    /// `status` with its JSON, encoded once per collection or configuration change however many
    /// callers ask (only the uptime is written per reply); `nil` when `viewer` does not see every
    /// process (ask ``status(for:)`` then) or the status cannot be encoded that way.
    func encodedStatus(for viewer: Viewer) async throws(RPCError) -> Visible<EncodedResult>? {
        guard viewer.seesEverything, let encoded = try await encodedStatus() else { return nil }
        do {
            return Visible(whole: try encoded.result(uptimeSeconds: uptimeSeconds), for: viewer)
        } catch {
            throw RPCError(.internalError, "status could not be encoded: \(error)")
        }
    }

    /// The status ``encodedStatus(for:)`` serves, encoded now unless one is ready; `asked` when a
    /// request wants it, not a collection encoding it ahead.
    private func encodedStatus(asked: Bool = true) async throws(RPCError) -> EncodedStatus? {
        if let ready = preparedStatus.current { return ready }
        let generation = reportsGeneration
        let status = try await status()
        do {
            guard let encoded = try EncodedStatus(status) else { return nil }
            // A collection or change that landed while this awaited makes it out of date: serve it
            // once, keep it not.
            if generation == reportsGeneration { preparedStatus.publish(encoded, asked: asked) }
            return encoded
        } catch {
            throw RPCError(.internalError, "status could not be encoded: \(error)")
        }
    }

    /// The JSON ``encodedStatus(for:)`` made, with the uptime of now, without waiting for this actor;
    /// `nil` when `viewer` does not see every process or no status is encoded since the last change.
    nonisolated func readyStatus(for viewer: Viewer) -> Visible<ByteBuffer>? {
        guard viewer.seesEverything, let encoded = preparedStatus.current,
            let json = try? encoded.json(uptimeSeconds: uptimeSeconds)
        else { return nil }
        return Visible(whole: json, for: viewer)
    }

    /// Seconds since the daemon started, as `status` reports them.
    private nonisolated var uptimeSeconds: Double { Self.seconds(ContinuousClock.now - startedAt) }

    /// The latest interval's processes as `query` asks (`processes.top`), among those `viewer` may
    /// see: hidden processes are dropped before the query's filters and limit, so they are neither
    /// listed, found nor counted. Nonisolated: its /proc reads hold neither this actor nor the
    /// collection thread.
    nonisolated func topProcesses(_ query: ProcessTopQuery, for viewer: Viewer) async -> Visible<ProcessTop> {
        Visible(await collector.topProcesses(query, visibleTo: { viewer.shows($0) }), for: viewer)
    }

    /// Recently exited processes as `query` asks (`processes.exited`), among those `viewer` may see:
    /// an exited process is visible by the owner it had, under the same /proc rules as a live one.
    nonisolated func exitedProcesses(_ query: ExitedProcessesQuery, for viewer: Viewer) -> Visible<ExitedProcesses> {
        Visible(collector.exitedProcesses(query, visibleTo: { viewer.shows($0) }), for: viewer)
    }

    /// Everything `status` reports, as `viewer` may see it.
    func status(for viewer: Viewer) async throws(RPCError) -> Visible<DaemonStatus> {
        Visible(try await status(), for: viewer)
    }

    /// Collections published from now on, each redacted for `caller` under the /proc rules in force
    /// when it arrives; stopping the iteration unsubscribes.
    nonisolated func collections(for caller: PeerCredentials) -> AsyncMapSequence<AsyncStream<EbpfMetrics>, Visible<EbpfMetrics>> {
        updates.subscribe(for: caller)
    }

    /// The latest collection, or `-32002` if none has been taken yet.
    private func latestMetrics() throws(RPCError) -> EbpfMetrics {
        guard let metrics else { throw RPCError(.unavailable, "no collection has been taken yet; try again in a second") }
        return metrics
    }

    /// Everything `status` reports, every row included; private, for ``status(for:)`` and the exposition
    /// (which carries no per-process series).
    /// - Parameter full: false leaves out what the exposition never reads (the daemon's overhead, with a
    ///   bpf() call per program, and the history's figures, a store query), which a scrape would
    ///   otherwise pay for every time.
    private func status(full: Bool = true) async throws(RPCError) -> DaemonStatus {
        let metrics = try latestMetrics()
        return DaemonStatus(
            version: SmoothTaskVersion.current,
            protocolVersion: ProtocolConstants.version,
            pid: getpid(),
            uptimeSeconds: uptimeSeconds,
            config: config,
            metrics: metrics,
            ebpf: EbpfState(
                support: support,
                programs: await programStatuses()
            ),
            overhead: full ? try await overhead() : nil,
            configError: configFileError,
            exitedProcesses: collector.exitedProcessesStatus(),
            history: full ? await history?.info() : nil
        )
    }

    /// What the daemon and its programs cost, or `-32002` if /proc/self cannot be read.
    public func overhead() async throws(RPCError) -> DaemonOverhead {
        let statisticsOn = BPFStatisticsSwitch.isOn
        // Before the daemon reads its own usage: without a limit this may be the governor's first
        // run in a while, and the resident size must include its code and allocations, as it did
        // when the governor ran every collection.
        let budget = await currentBudget()
        let programs = await collector.programOverheads(kernelKeepsStatistics: statisticsOn)
        let now: SelfUsage
        do throws(ProcfsError) {
            now = try SelfUsage.read()
        } catch {
            throw RPCError(.unavailable, "cannot read the daemon's own usage: \(error)")
        }
        let start = startUsage ?? now
        // One whole interval once two collections are in; until then, everything since start.
        let (from, to) = tickUsages.previous.flatMap { previous in tickUsages.latest.map { (previous, $0) } } ?? (start, now)
        return DaemonOverhead(
            pid: getpid(),
            cpuPercent: to.cpuPercent(since: from),
            windowMilliseconds: Int64(to.takenAtNanoseconds - min(from.takenAtNanoseconds, to.takenAtNanoseconds)) / 1_000_000,
            cpuPercentSinceStart: now.cpuPercent(since: start),
            cpuTimeSeconds: Double(now.cpuNanoseconds) / 1e9,
            rssBytes: now.rssBytes,
            bpfStatsEnabled: statisticsOn,
            bpfStatsNote: BPFStatisticsSwitch.note(isOn: statisticsOn),
            programs: programs,
            budget: budget
        )
    }

    /// The governor's report over the latest window, evaluated now if no collection did.
    private func currentBudget() async -> OverheadBudget? {
        if let governor, let window = unevaluatedWindow {
            unevaluatedWindow = nil
            budget = await governor.evaluate(
                limitPercent: config.maxOverheadPercent, daemonPercent: window.daemonPercent,
                windowMilliseconds: window.windowMilliseconds, syscallRate: window.syscallRate
            )
        }
        return budget
    }

    /// Every program, in `status` order.
    private func programStatuses() async -> [ProgramStatus] {
        await collector.programStatuses()
    }

    /// The busiest cgroups (or units) of the latest collection, or `-32002` before the first one.
    public func cgroupsTop(_ params: CgroupsTopParams) throws(RPCError) -> CgroupsReport {
        guard let cgroups else { throw RPCError(.unavailable, "no collection has been taken yet; try again in a second") }
        return cgroups.top(try params.validatedLimit(), by: params.by ?? .cgroup)
    }

    /// Everything an exposition is built from, as of the latest collection.
    public func exportInput(scrapeDurations: HistogramSnapshot?) async throws(RPCError) -> ExportInput {
        ExportInput(
            status: try await status(full: false),
            cgroups: cgroups,
            daemonCPUSeconds: tickUsages.latest.map { Double($0.cpuNanoseconds) / 1e9 },
            daemonResidentBytes: tickUsages.latest?.rssBytes,
            daemonStartTimeSeconds: startedAtEpochSeconds,
            mapFullDrops: mapFullDrops,
            collectionDurations: collectionDurations.snapshot,
            scrapeDurations: scrapeDurations,
            counters: counters,
            budget: await currentBudget()
        )
    }

    /// The `GET /metrics` body in `format`, or `-32002` before the first collection: the families
    /// as of the latest collection, rendered once per collection and format, then the scrapes'
    /// histogram (`scrapeDurations`), which changes with every scrape. The same text as encoding
    /// ``metricFamilies()`` at once.
    public func exposition(as format: ExpositionFormat, scrapeDurations: HistogramSnapshot?) async throws(RPCError) -> String {
        noteClientActivity()
        let rendered: String
        if let cached = renderedExpositions[format] {
            rendered = cached
        } else {
            let generation = reportsGeneration
            let input = try await exportInput(scrapeDurations: nil)
            rendered = ExpositionEncoder.render(MetricCatalog.collectionFamilies(from: input), as: format)
            if generation == reportsGeneration { renderedExpositions[format] = rendered }
        }
        let scrapes = MetricCatalog.scrapeDurationFamily(scrapeDurations, created: startedAtEpochSeconds)
        return ExpositionEncoder.encode([scrapes], after: rendered, as: format)
    }

    /// Counts a connection, request or scrape: the window it falls in served a client.
    nonisolated func noteClientActivity() {
        clientActivity.add(1, ordering: .relaxed)
    }

    /// The daemon's share of the overhead budget over the window just ended, from its `whole` CPU
    /// and its `monitored` work (percent of one CPU each): the whole when the window served no
    /// client, which also updates ``unmeasuredRatio``; otherwise the monitored work scaled by that
    /// ratio, at most the whole. So the CPU of answering clients, which shedding a program cannot
    /// reduce, never counts: before this, 8,000 `overhead` calls from one user took the daemon to
    /// 168% of a CPU and the budget shed `cpu_metrics`, `sched_latency` and `cgroup_cpu`.
    private func daemonShare(whole: Double, monitored: Double) -> Double {
        let activity = clientActivity.load(ordering: .relaxed)
        defer { clientActivityAtTick = activity }
        if activity == clientActivityAtTick {
            if monitored > 0 { unmeasuredRatio = max(1, whole / monitored) }
            return whole
        }
        guard let unmeasuredRatio else { return whole }
        return min(whole, monitored * unmeasuredRatio)
    }

    /// Drops the rendered expositions and the encoded status: what they show has changed.
    private func reportsChanged() {
        renderedExpositions = [:]
        preparedStatus.clear()
        reportsGeneration &+= 1
    }

    /// The families `GET /metrics` would serve now (`metrics.families`), from the same input, or
    /// `-32002` before the first collection.
    public func metricFamilies() async throws(RPCError) -> MetricFamilies {
        let input = try await exportInput(scrapeDurations: await metricsEndpoint?.scrapeDurationSnapshot)
        return MetricFamilies(families: MetricCatalog.families(from: input))
    }

    /// The configuration file's refusal as a failed check, so `check` names it and fails; none when the file is fine.
    private var configFileCheck: [DiagnosticCheck] {
        configFileError.map { [DiagnosticCheck(name: "config file", ok: false, detail: $0, fix: Self.configFileFix)] } ?? []
    }

    static let configFileFix = "fix the file, then: systemctl reload smoothtaskd (until then the defaults are in force)"

    /// Records whether the configuration file was last accepted (`nil`) or why it was refused.
    func recordConfigFile(error: String?) {
        configFileError = error
        preparedStatus.clear()
    }

    /// Everything `diagnostics` reports, checked now from this process.
    public func diagnostics() async -> DaemonDiagnostics {
        DaemonDiagnostics(
            pid: getpid(),
            uid: getuid(),
            configPath: store?.path,
            socketActivated: socketActivated,
            checks: SystemDiagnostics.run() + configFileCheck,
            programs: await programStatuses()
        )
    }

    /// Detaches every program; called once collection has stopped.
    public func shutdown() async {
        configChanges.finish()
        updates.finish()
        history?.flush()
        await collector.shutdown()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
