import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// Keeps the promise of `max_overhead_percent`: after each collection it estimates what the daemon
/// and each eBPF program cost, sheds optional programs when the estimate is over the budget and
/// brings them back when the load falls (the rules are on ``OverheadBudget``).
///
/// Each program's estimate is its hook's event rate times its per-event cost. The rate comes from
/// the kernel's `run_cnt` while `kernel.bpf_stats_enabled=1`, otherwise from a counter that keeps
/// counting whether the program runs or not (``HookEvent``), so a shed program's would-be cost is
/// known too. The per-event cost is, best first, measured (bpf_stats), calibrated (the start-up
/// self-test, ``CostCalibration``) or the bench figure (``BenchPerEventCosts``); each row says which.
///
/// Shedding detaches a program through its ``ProgramSlot`` (the collectors' `shed`), as a switch
/// would, without reloading it: its figures become `null` with the reason in `unavailable`.
/// Runs on the collection thread, like the collectors it drives.
public actor OverheadGovernor {
    /// Collections between two syscall rate probes while the syscalls object is shed: every one, so
    /// each restore decision sees the rate of its own window. Every third left the storm's rate
    /// standing for up to two quiet collections after it ended, holding syscalls back a whole
    /// restore round (15 s at 5 s collections); a 2 ms probe of a bare counter costs about 0.1 ms of
    /// CPU on a quiet machine and about 1 ms in a storm of millions per second (0.02% at 5 s).
    static let probeEveryCollections = 1
    /// An object costing less than this fraction of the budget is never shed: detaching it would
    /// lose its figures for no saving anyone could see, e.g. on a machine where the daemon's own
    /// CPU alone is near the budget.
    static let minimumShedFraction = 0.1
    /// Collections in a row the estimate must be over the budget before anything is shed: one
    /// collection's spike (a burst of requests, a history write) is not a load worth losing figures over.
    static let shedAfterCollections = 2
    /// Evaluations after start that only estimate: the first windows hold the daemon's start-up
    /// (history store, first /proc walk), which says nothing about the load.
    static let warmUpCollections = 3
    /// Runs a program needs in one window for its measured cost to replace the earlier figure.
    static let minimumMeasuredRuns: UInt64 = 100

    private let collector: EbpfMetricsCollector
    private let logger: Logger
    private let executor: CollectionExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Per-event nanoseconds by `object/program`, from the kernel's counters.
    private var measured: [String: Double] = [:]
    /// Per-event nanoseconds by `object/program`, from the start-up self-test.
    private var calibrated: [String: Double] = [:]
    /// Each program's run counters at the previous evaluation, while the kernel counts them.
    private var previousRuns: [String: (runs: UInt64, nanoseconds: UInt64, attached: Bool)] = [:]
    private var previousCounters: KernelEventCounters?
    private var previousEvaluationNanoseconds: UInt64?
    /// The machine's syscall rate as last seen, and who saw it.
    private var syscallRate: (perSecond: Double, source: String)?
    private var probe: SyscallRateProbe?
    private var probeFailure: BPFError?
    private var collectionsSinceProbe = 0
    /// What is shed now, in the order it was shed.
    private var shed: [ShedProgram] = []
    /// Collections in a row the estimate with the next program to restore stayed low enough.
    private var quietCollections = 0
    /// Collections in a row the estimate was over the budget.
    private var overCollections = 0
    /// Evaluations so far, for ``warmUpCollections``.
    private var evaluations = 0
    /// Whether the daemon's steady share alone was over the budget at the previous evaluation, to log the change once.
    private var daemonAloneOver = false
    /// The daemon's own CPU in the latest windows, newest last, at most ``steadyDaemonWindows``.
    private var recentDaemonPercents: [Double] = []
    /// Windows whose median is the daemon's steady share in a restore decision and in the warning that
    /// it alone is over the budget: one window with a burst of requests or a history flush then neither
    /// brings a program back, nor holds it off, nor warns.
    static let steadyDaemonWindows = 3

    /// Creates a governor over the collector; it sheds nothing until ``evaluate(limitPercent:daemonPercent:windowMilliseconds:syscallRate:)``.
    public init(collector: EbpfMetricsCollector, executor: CollectionExecutor, logger: Logger) {
        self.collector = collector
        self.executor = executor
        self.logger = logger
    }

    /// The objects the budget may shed, with the switch whose figures each carries.
    static let sheddable: [String: MetricSwitch] = Dictionary(
        uniqueKeysWithValues: EbpfMetricsCollector.areaTypes.map { ($0.name, $0.metricSwitch) }
    )

    /// The core program, shed only after every optional one: its CPU figures fall back to /proc/stat.
    static let coreObject = CPUMetricsProgram.name

    /// Runs the start-up self-test (``CostCalibration``), bounded to a fraction of a second; even
    /// when the kernel already counts run time, since an administrator may switch that off later.
    /// Call once the programs are attached, before serving.
    public func calibrate() async {
        let collector = collector
        switch await CostCalibration.run(programs: {
            await collector.programOverheads(kernelKeepsStatistics: true)
        }) {
        case .success(let costs):
            calibrated = costs
            logger.info("Overhead budget: per-event costs calibrated by the start-up self-test", metadata: [
                "programs": "\(costs.keys.sorted().joined(separator: ", "))",
            ])
        case .failure(let error):
            logger.info("Overhead budget: start-up self-test skipped, using the bench figures", metadata: [
                "reason": "\(error)", "bench": "\(BenchPerEventCosts.machine)",
            ])
        }
    }

    /// Estimates the latest window's cost, sheds or restores programs as the budget says, and
    /// returns the report `overhead`, `status` and the exposition show.
    /// - Parameters:
    ///   - limitPercent: `max_overhead_percent`; 0 restores everything and sheds nothing.
    ///   - daemonPercent: the daemon's own CPU over the window (getrusage), percent of one CPU.
    ///   - windowMilliseconds: the window `daemonPercent` covers.
    ///   - syscallRate: syscalls per second the syscalls object counted in the collection, if attached.
    public func evaluate(
        limitPercent: Double, daemonPercent: Double, windowMilliseconds: Int64, syscallRate ownRate: Double?
    ) async -> OverheadBudget {
        let statisticsOn = BPFStatisticsSwitch.isOn
        let rows = await collector.programOverheads(kernelKeepsStatistics: statisticsOn)
        let syscallsAttached = rows.contains { $0.attached && Self.object(of: $0.name) == SyscallCounterProgram.name }
        if syscallsAttached, let ownRate {
            syscallRate = (ownRate, "syscalls counted by the syscalls object")
        } else if !syscallsAttached, isShed(SyscallCounterProgram.name) {
            probeSyscallRate()
        }
        let counters = await collector.kernelEventCounters()
        let now = counters.takenAtNanoseconds
        let seconds = previousEvaluationNanoseconds.map { Double(now - min($0, now)) / 1e9 } ?? 0
        var estimates: [ProgramCostEstimate] = []
        var runs: [String: (runs: UInt64, nanoseconds: UInt64, attached: Bool)] = [:]
        for row in rows where row.hook != "-" {
            if let count = row.runCount, let time = row.runTimeNanoseconds { runs[row.name] = (count, time, row.attached) }
            estimates.append(estimate(row, counters: counters, seconds: seconds))
        }
        previousRuns = runs
        previousCounters = counters
        previousEvaluationNanoseconds = now

        let costs = objectCosts(estimates)
        let readCosts = await collector.readCosts()
        let readPercents = windowMilliseconds > 0
            ? readCosts.mapValues { Double($0) / (Double(windowMilliseconds) * 1e6) * 100 } : [:]
        recentDaemonPercents = Array((recentDaemonPercents + [daemonPercent]).suffix(Self.steadyDaemonWindows))
        let programsPercent = estimates.filter(\.attached).compactMap(\.percent).reduce(0, +)
        let estimate = daemonPercent + programsPercent
        let order = sheddingOrder(costs, running: Set(estimates.filter(\.attached).map(\.object)))
        evaluations += 1
        // The steady share, as restores use: one window of many requests (a script polling status)
        // is the callers' doing, not the interval's, and passes.
        let steadyDaemonPercent = Self.median(recentDaemonPercents)
        let aloneOver = limitPercent > 0 && steadyDaemonPercent > limitPercent && evaluations > Self.warmUpCollections
        if aloneOver != daemonAloneOver {
            daemonAloneOver = aloneOver
            if aloneOver {
                // Shedding programs cannot keep the promise then: the daemon's share is set by its interval.
                logger.warning("Overhead budget: the daemon's own CPU alone is over max_overhead_percent", metadata: [
                    "daemon.percent": "\(Self.percent(steadyDaemonPercent))", "max_overhead_percent": "\(limitPercent)",
                    "remedy": "lengthen collection_interval_ms or raise max_overhead_percent",
                ])
            }
        }
        if evaluations > Self.warmUpCollections {
            let steadyEstimate = estimate - daemonPercent + steadyDaemonPercent
            await decide(
                limitPercent: limitPercent, estimate: estimate, steadyEstimate: steadyEstimate, costs: costs, readPercents: readPercents,
                order: order, attached: Set(estimates.filter(\.attached).map(\.object))
            )
        }
        return OverheadBudget(
            limitPercent: limitPercent, estimatePercent: estimate, daemonPercent: daemonPercent, programsPercent: programsPercent,
            windowMilliseconds: windowMilliseconds,
            programs: estimates.map { row in
                var row = row
                row.attached = row.attached && !isShed(row.object)
                return row
            },
            shed: shed, sheddingOrder: order
        )
    }

    // MARK: - Estimate

    private static func object(of programName: String) -> String {
        String(programName.prefix { $0 != "/" })
    }

    private func isShed(_ object: String) -> Bool {
        shed.contains { $0.object == object }
    }

    /// One program's rate and per-event cost, each from the best source there is now.
    private func estimate(_ row: ProgramOverhead, counters: KernelEventCounters, seconds: Double) -> ProgramCostEstimate {
        let object = Self.object(of: row.name)
        var rate: Double?
        var rateSource = ""
        if let count = row.runCount, let previous = previousRuns[row.name], seconds > 0 {
            let counted = count.subtractingClamped(previous.runs)
            if row.attached, previous.attached {
                rate = Double(counted) / seconds
                rateSource = "run_cnt (kernel.bpf_stats_enabled=1)"
            }
            if counted >= Self.minimumMeasuredRuns, let time = row.runTimeNanoseconds {
                measured[row.name] = Double(time.subtractingClamped(previous.nanoseconds)) / Double(counted)
            }
        }
        if rate == nil {
            let event = HookEvent(hook: row.hook)
            rateSource = event.counterName
            rate = event.rate(counters, since: previousCounters, syscallsPerSecond: syscallRate?.perSecond)
            if event == .syscall, let source = syscallRate?.source { rateSource = source }
        }
        let cost: (Double, CostSource)? = measured[row.name].map { ($0, .measured) }
            ?? calibrated[row.name].map { ($0, .calibrated) }
            ?? BenchPerEventCosts.figure(object: object, hook: row.hook).map { ($0, .bench) }
        let percent = rate.flatMap { rate in cost.map { Self.percent(eventsPerSecond: rate, nanosecondsPerEvent: $0.0) } }
        return ProgramCostEstimate(
            name: row.name, object: object, hook: row.hook, attached: row.attached, eventsPerSecond: rate, rateSource: rateSource,
            nanosecondsPerEvent: cost?.0, costSource: cost?.1 ?? .unknown, percent: percent
        )
    }

    /// Percent of one CPU a hook firing `eventsPerSecond` costs at `nanosecondsPerEvent` a run.
    static func percent(eventsPerSecond: Double, nanosecondsPerEvent: Double) -> Double {
        eventsPerSecond * nanosecondsPerEvent / 1e9 * 100
    }

    /// Each object's estimated cost, percent of one CPU: what it costs attached, or would cost if it came back.
    private func objectCosts(_ estimates: [ProgramCostEstimate]) -> [String: Double] {
        estimates.reduce(into: [:]) { costs, row in costs[row.object, default: 0] += row.percent ?? 0 }
    }

    /// The sheddable objects running or shed (not those switched off), in the order they would go:
    /// optional ones most expensive first, the core one last.
    private func sheddingOrder(_ costs: [String: Double], running: Set<String>) -> [String] {
        let candidates = Self.sheddable.keys.filter { running.contains($0) || isShed($0) }
        let optional = candidates.filter { $0 != Self.coreObject }.sorted { (costs[$0] ?? 0, $1) > (costs[$1] ?? 0, $0) }
        return optional + (candidates.contains(Self.coreObject) ? [Self.coreObject] : [])
    }

    /// Measures the syscall rate with the probe every ``probeEveryCollections`` collections.
    private func probeSyscallRate() {
        collectionsSinceProbe += 1
        guard collectionsSinceProbe >= Self.probeEveryCollections || syscallRate == nil, probeFailure == nil else { return }
        collectionsSinceProbe = 0
        do throws(BPFError) {
            if probe == nil { probe = try SyscallRateProbe(logger: logger) }
            if let probe { syscallRate = (try probe.measure(), "syscall_rate_probe (\(SyscallRateProbe.probeMilliseconds) ms every \(Self.probeEveryCollections) collections while syscalls is shed)") }
        } catch {
            probeFailure = error
            logger.warning("Overhead budget: the syscall rate probe failed; syscalls stays shed until the budget changes", metadata: [
                "error": "\(error)",
            ])
        }
    }

    // MARK: - Shed and restore

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// - Parameters:
    ///   - steadyEstimate: `estimate` with the daemon's steady share (``steadyDaemonWindows``) for its latest window's.
    ///   - readPercents: what reading each object's maps cost the daemon per collection when it last ran, percent of one CPU.
    private func decide(
        limitPercent: Double, estimate: Double, steadyEstimate: Double, costs: [String: Double], readPercents: [String: Double],
        order: [String], attached: Set<String>
    ) async {
        let before = shed.map(\.object)
        // The shed objects that would fit back together, the last shed first; each entry says the
        // estimate it would come back at (with those shed after it), fitting or not.
        var projected = steadyEstimate
        var fitting: [ShedProgram] = []
        for index in shed.indices.reversed() {
            projected += (costs[shed[index].object] ?? 0) + (readPercents[shed[index].object] ?? 0)
            shed[index].restoreEstimatePercent = projected
            if fitting.count == shed.count - 1 - index, projected < limitPercent * OverheadBudget.restoreFraction {
                fitting.append(shed[index])
            }
        }
        if limitPercent <= 0 {
            for entry in shed { logRestore(entry, why: "max_overhead_percent is 0 (no limit)") }
            shed = []
            quietCollections = 0
        } else if estimate > limitPercent {
            quietCollections = 0
            overCollections += 1
            guard overCollections >= Self.shedAfterCollections else { return }
            var remaining = estimate
            for object in order where remaining > limitPercent && attached.contains(object) && !isShed(object) {
                let cost = costs[object] ?? 0
                guard cost >= limitPercent * Self.minimumShedFraction, let metricSwitch = Self.sheddable[object] else { continue }
                let reason = "shed by the overhead budget: the estimate was \(Self.percent(estimate)) of one CPU, over "
                    + "max_overhead_percent=\(limitPercent); \(object) cost \(Self.percent(cost))"
                let entry = ShedProgram(
                    object: object, configKey: metricSwitch.configKey, sinceMilliseconds: Clock.epochMilliseconds(), reason: reason
                )
                shed.append(entry)
                remaining -= cost
                logger.notice("Overhead budget: eBPF object shed", metadata: [
                    "object": "\(object)", "reason": "\(reason)",
                ])
            }
        } else if !shed.isEmpty {
            overCollections = 0
            let withFitting = fitting.last?.restoreEstimatePercent ?? projected
            quietCollections = fitting.isEmpty ? 0 : quietCollections + 1
            if quietCollections >= OverheadBudget.restoreAfterCollections {
                quietCollections = 0
                shed.removeLast(fitting.count)
                for entry in fitting {
                    logRestore(entry, why: "the estimate with it, \(Self.percent(withFitting)) of one CPU, stayed below "
                        + "\(Int(OverheadBudget.restoreFraction * 100))% of max_overhead_percent=\(limitPercent) for "
                        + "\(OverheadBudget.restoreAfterCollections) collections")
                }
            }
        }
        if estimate <= limitPercent { overCollections = 0 }
        guard shed.map(\.object) != before else { return }
        var reasons: [MetricSwitch: String] = [:]
        for entry in shed { if let metricSwitch = Self.sheddable[entry.object] { reasons[metricSwitch] = entry.reason } }
        await collector.shed(reasons)
    }

    /// `0.123%`: three decimals, enough for budgets of a tenth of a percent.
    static func percent(_ value: Double) -> String {
        "\((value * 1000).rounded() / 1000)%"
    }

    private func logRestore(_ entry: ShedProgram, why: String) {
        logger.notice("Overhead budget: eBPF object restored", metadata: ["object": "\(entry.object)", "reason": "\(why)"])
    }
}
