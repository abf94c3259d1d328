import Logging
import SmoothTaskBPF
import SmoothTaskModel
import Synchronization

/// Collects SmoothTask's metrics from its own eBPF programs, falling back to /proc when eBPF cannot
/// run, so the daemon keeps reporting CPU and memory either way.
///
/// Rates and percentages cover the window since the previous ``collectMetrics()``; the first
/// collection after ``initialize(config:)`` covers the time since the programs were attached. A
/// program switched on by ``apply(config:)`` starts its window at that moment.
///
/// `syscall_count` counts syscalls while the syscall program is attached, from its load on: a
/// detach pauses it and a re-attach resumes from the same total, so it never goes backwards.
/// When a process exits, ``ProcessLifecycleProgram`` sends its final totals and deletes it from
/// the per-process maps, so the maps stay bounded by the live processes and the exit lands in the
/// window it happened in and in the recently exited list.
public actor EbpfMetricsCollector {
    private let logger: Logger
    private var initialized = false
    /// Why the programs are not loaded (``notInitialized``, or eBPF unavailable and why).
    private var notLoadedReason = EbpfMetricsCollector.notInitialized

    /// Loaded first: it creates the per-process maps the others share, and reads exits.
    private var lifecycle: ProgramSlot<ProcessLifecycleProgram>?
    private var ledger = ProcessLedger()
    /// When per-process accounting began (CLOCK_BOOTTIME): older processes' totals count from then.
    private var accountingStartBoottime: UInt64 = 0
    /// Recently exited processes, shared with ``exitedProcesses(_:visibleTo:)`` without a hop onto this actor.
    private nonisolated let recentExits: Mutex<RecentExits>
    /// Live processes' names for the history, read from /proc once per process and exec.
    private nonisolated let identities = ProcessIdentityCache()

    private var previousCollectionNanoseconds: UInt64?
    var processWindow: ProcessActivityWindow?
    /// `processes.top` from /proc while the lifecycle program is not attached (the fallback).
    var procProcesses = ProcProcessSampler()
    /// The configuration last applied: shedding re-applies it, the /proc fallback of `processes.top` follows it.
    private(set) var appliedConfig = EbpfConfig.defaults
    /// The vmstat/pmstat basics, read every collection.
    private var systemActivity = SystemActivityReader()
    /// The PSI totals of the latest collection's ``ProcfsTick``, for ``counterReadings()``.
    var latestPressureTotals: [CounterReadings.Pressure] = []
    /// ``processWindow`` as of the latest finished collection, for ``topProcesses(_:)`` to read
    /// without a hop onto this actor: a burst of `processes.top` (each reading /proc for every active
    /// process) then never queues ahead of a tick on the collection thread.
    private nonisolated let publishedProcessWindow = Mutex<ProcessActivityWindow?>(nil)
    /// Every metric area, each its own program and switch (loaded at initialize) and /proc side
    /// (from creation on, so CPU and memory are reported without eBPF too), in `status` order.
    let areas: [any EbpfMetricArea]
    /// Why the programs are not loaded, for `status` and `unavailable`, until ``initialize(config:)``.
    static let notInitialized = "the collector is not initialized"

    /// Where this actor runs: a dedicated thread, since every collection blocks on map and /proc reads.
    private let executor: CollectionExecutor

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The CPU of this collector's monitoring work so far: collections, counter readings and the
    /// exit ring's reader, not the calls made to answer clients (with the history writer's, what the
    /// daemon's share of the overhead budget is measured from while clients are served).
    public nonisolated let monitoringCPU = MonitoringCPU()

    /// Creates a collector that loads nothing until ``initialize(config:)``.
    /// - Parameters:
    ///   - logger: receives the collector's and libbpf's messages.
    ///   - executor: the thread this actor runs on; the daemon shares one with its other collectors
    ///     and its collection loop.
    ///   - exitedProcessCapacity: how many recently exited processes `processes.exited` can list.
    public init(
        logger: Logger, executor: CollectionExecutor = CollectionExecutor(),
        exitedProcessCapacity: Int = EbpfMetricsCollector.defaultExitedProcessCapacity
    ) {
        self.logger = logger
        self.executor = executor
        recentExits = Mutex(RecentExits(capacity: exitedProcessCapacity))
        areas = Self.areaTypes.map { Self.makeArea($0, logger: logger) }
        // With the /proc baselines the areas just took: the first collection covers a window even
        // when the programs never load.
        previousCollectionNanoseconds = Clock.monotonicNanoseconds()
    }

    /// Exited processes kept for `processes.exited` unless the daemon is told otherwise: about 3 MiB.
    public static let defaultExitedProcessCapacity = 10_000

    /// Whether this system can run SmoothTask's eBPF programs, and if not the real reason: kernel
    /// too old, no kernel BTF, a tracepoint missing, or the kernel refusing to load a tracing program
    /// (with this process's capabilities).
    public static func checkEbpfSupport() -> EbpfSupport {
        EbpfSupportProbe.check()
    }

    /// Loads every program and attaches those `config` enables.
    ///
    /// On failure the collector stays usable: CPU then comes from /proc/stat and the eBPF-only
    /// figures are reported unavailable with the error's description.
    /// - Throws: the first failure of the CPU, syscall or memory program (kernel check, open, load or attach).
    public func initialize(config: EbpfConfig) throws(BPFError) {
        shutdown()
        initialized = true
        previousCollectionNanoseconds = Clock.monotonicNanoseconds()
        let lifecycleLoader = ProgramLoader(logger: logger, monitoringCPU: monitoringCPU)
        let lifecycle = ProgramSlot<ProcessLifecycleProgram>(loader: lifecycleLoader)
        self.lifecycle = lifecycle
        let loader = ProgramLoader(
            logger: logger, sharedMaps: lifecycle.program?.sharedMaps ?? [], pidNamespace: lifecycleLoader.pidNamespace,
            monitoringCPU: monitoringCPU
        )
        apply(config: config)
        for area in areas { area.load(with: loader) }
        if let failure = areas.lazy.compactMap(\.essentialFailure).first {
            logger.warning("eBPF unavailable, falling back to /proc", metadata: [
                "error": "\(failure)", "remedy": "\(failure.remedy)",
            ])
            throw failure
        }
    }

    /// Applies a new configuration at runtime: attaches a loaded program its switch turns on and
    /// detaches (destroys the link of) one it turns off, without reloading anything; each program
    /// takes the baseline of its next window as it attaches. Switches also apply before the programs
    /// are loaded, or when they cannot be: they decide what the /proc side reports.
    public func apply(config: EbpfConfig) {
        for area in areas { area.apply(config: config) }
        appliedConfig = config
        guard initialized, let lifecycle else { return }
        // On whenever eBPF runs: every per-process figure needs its exit records.
        guard lifecycle.apply(enabled: true) == .attached, let program = lifecycle.attached else { return }
        do throws(BPFError) {
            accountingStartBoottime = Clock.boottimeNanoseconds()
            _ = try program.takeExits()
            ledger.restart(at: try program.reading())
        } catch {
            lifecycle.fail(error)
        }
    }

    /// Serves without eBPF from now on (the daemon found this system cannot run it): `config`'s
    /// switches apply to the /proc side, and every program and eBPF-only figure says `reason`.
    public func serveWithoutEbpf(config: EbpfConfig, reason: String) {
        shutdown(because: "eBPF unavailable: \(reason)")
        apply(config: config)
    }

    /// Detaches the programs the overhead budget sheds (`reasons`, by switch: the reason is what
    /// `unavailable` and `status` say meanwhile) and re-attaches those no longer listed whose switch
    /// is on, taking a fresh baseline as a switch change would.
    public func shed(_ reasons: [MetricSwitch: String]) {
        for area in areas {
            guard let metricSwitch = area.metricSwitch else { continue }
            area.shed(reason: reasons[metricSwitch])
        }
        apply(config: appliedConfig)
    }

    /// Takes one collection: each area the configuration enables, from eBPF where it can, over the
    /// window since the previous collection.
    public func collect() -> MetricsCollection {
        monitoringCPU.measure(collectNow)
    }

    private func collectNow() -> MetricsCollection {
        let now = Clock.monotonicNanoseconds()
        let windowStart = previousCollectionNanoseconds ?? now
        previousCollectionNanoseconds = now
        var collection = MetricsCollection(metrics: EbpfMetrics(
            timestamp: Clock.epochMilliseconds(),
            windowMilliseconds: Int64((now - windowStart) / 1_000_000)
        ))
        processWindow = ProcessActivityWindow(windowNanoseconds: now - windowStart, timestamp: collection.timestamp)
        let processReading = readProcesses()
        let processes = try? processReading?.get()
        let procfs = ProcfsTick.read()
        latestPressureTotals = procfs.pressureTotals
        for area in areas { area.collect(into: &collection, processes: processes, procfs: procfs) }
        if let processReading { collectProcesses(processReading, into: &collection.metrics) } else { collectProcessesFromProc() }
        collection.metrics.system = systemActivity.collect(procfs)
        noteMissingProcessColumns(from: collection.metrics)
        publishedProcessWindow.withLock { [processWindow] in $0 = processWindow }
        return collection
    }

    /// The `metrics.get` figures of one ``collect()``.
    public func collectMetrics() -> EbpfMetrics {
        collect().metrics
    }

    /// Every metric area, in `status` order: the one list a new area joins.
    static var areaTypes: [any MetricAreaReader.Type] {
        [
            CPUMetricsProgram.self, SyscallCounterProgram.self, MemoryEventsProgram.self,
            SchedLatencyProgram.self, DiskMetricsProgram.self, NetworkMetricsProgram.self, CgroupCPUProgram.self,
        ]
    }

    private static func makeArea<Reader: MetricAreaReader>(_ type: Reader.Type, logger: Logger) -> any EbpfMetricArea {
        MetricArea<Reader>(logger: logger, config: .defaults, notLoadedReason: notInitialized)
    }

    /// The state of each program: attached, or why not.
    public func programStatuses() -> [ProgramStatus] {
        let lifecycleStatus = lifecycle?.status ?? ProgramStatus(
            name: ProcessLifecycleProgram.name, hook: "-", attached: false, detail: "not loaded: \(notLoadedReason)"
        )
        return [lifecycleStatus] + areas.map(\.status)
    }

    /// What each loaded program has cost in the kernel; counts only when `kernelKeepsStatistics`
    /// (``BPFStatisticsSwitch/isOn``), since the counters stand still otherwise.
    public func programOverheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        ([lifecycle as (any AnyProgramSlot)?].compactMap { $0 } + areas)
            .flatMap { $0.overheads(kernelKeepsStatistics: kernelKeepsStatistics) }
    }

    /// Each object's latest read, collection-thread CPU nanoseconds (``EbpfMetricArea/readNanoseconds``),
    /// by object name: what the overhead budget adds to a shed object's cost when it weighs its return.
    public func readCosts() -> [String: UInt64] {
        areas.reduce(into: [:]) { costs, area in costs[area.objectName] = area.readNanoseconds }
    }

    /// The machine's event counters as of the latest collection's /proc/stat reading, with
    /// /proc/vmstat read now: the overhead budget's hook rates.
    func kernelEventCounters() -> KernelEventCounters {
        KernelEventCounters.read(stat: systemActivity.latest)
    }

    /// Detaches and unloads every program; ``initialize(config:)`` may load them again.
    public func shutdown() {
        shutdown(because: Self.notInitialized)
    }

    private func shutdown(because reason: String) {
        lifecycle?.shutdown()
        lifecycle = nil
        notLoadedReason = reason
        for area in areas { area.unload(because: reason) }
        processWindow = nil
        procProcesses = ProcProcessSampler()
        publishedProcessWindow.withLock { $0 = nil }
        initialized = false
    }

    // MARK: - Processes

    /// Every live process's counters, read first in a collection; `nil` without the lifecycle program.
    private func readProcesses() -> Result<ProcessCountersReading, BPFError>? {
        guard let program = lifecycle?.attached else { return nil }
        return Result { () throws(BPFError) in try program.reading() }
    }

    /// Every process's window and totals, exits included, from the lifecycle program; every area's
    /// per-process list comes from it.
    private func collectProcesses(_ result: Result<ProcessCountersReading, BPFError>, into metrics: inout EbpfMetrics) {
        guard let program = lifecycle?.attached else { return }
        do throws(BPFError) {
            let reading = try result.get()
            let exits = try program.takeExits()
            let dropped = (try? program.counts())?.dropped_records ?? 0
            let tableFull = (try? program.tableFullCount()) ?? 0
            let counts = recentExits.withLock { list in
                list.dropped = dropped + program.inboxOverflowed
                list.tableFull = tableFull
                return ledger.advance(to: reading, exits: exits, recent: &list)
            }
            for tgid in counts.leftovers { program.forget(tgid) }
            processWindow?.counts = counts
            processWindow?.accountingStartBoottime = accountingStartBoottime
            processWindow?.areas = countingAreas
            fillProcessLists(from: counts, into: &metrics)
        } catch {
            logger.warning("Reading the per-process maps failed", metadata: ["error": "\(error)"])
            processWindow?.counts = nil
            for column in ProcessTopSort.allCases { processWindow?.unavailable[column.rawValue] = error.description }
        }
    }

    /// Every area's per-process list from the one window, so a process that exited in it is listed
    /// like a live one, and the columns of one process agree across lists and with `processes.top`.
    private func fillProcessLists(from counts: ProcessWindowCounts, into metrics: inout EbpfMetrics) {
        let nanoseconds = processWindow?.windowNanoseconds ?? 0
        let areas = countingAreas
        // Each live process named once per collection, however many lists it heads.
        var names: [UInt32: String?] = [:]
        if areas.contains(.cpu), metrics.sources[EbpfMetrics.Name.cpu] == .ebpf, nanoseconds > 0 {
            metrics.topProcesses = counts.largest(EbpfMetrics.topProcessLimit, by: \.cpuNanoseconds, names: &names).map {
                ProcessListBuilder.cpu(pid: $0.pid, comm: $0.comm, cpuNanoseconds: $0.counts.cpuNanoseconds, windowNanoseconds: nanoseconds)
            }
        }
        if areas.contains(.syscalls), metrics.syscalls != nil {
            metrics.syscalls?.topProcesses = counts.largest(SyscallMetrics.topLimit, by: \.syscalls, names: &names).map {
                ProcessListBuilder.events(pid: $0.pid, comm: $0.comm, count: $0.counts.syscalls, windowNanoseconds: nanoseconds)
            }
        }
        if areas.contains(.memory), metrics.memory?.events != nil {
            metrics.memory?.events?.topFaulting = counts.largest(MemoryEventMetrics.topLimit, by: \.userFaults, names: &names).map {
                ProcessListBuilder.events(pid: $0.pid, comm: $0.comm, count: $0.counts.userFaults, windowNanoseconds: nanoseconds)
            }
        }
        if areas.contains(.disk), metrics.disk != nil {
            let disk = counts.largest(DiskMetrics.topProcessLimit, by: { $0.diskReadBytes + $0.diskWriteBytes }, names: &names)
            metrics.disk?.topProcesses = disk.map {
                ProcessListBuilder.disk(pid: $0.pid, comm: $0.comm, readBytes: $0.counts.diskReadBytes, writeBytes: $0.counts.diskWriteBytes)
            }
        }
        if areas.contains(.network), metrics.network?.topProcesses != nil {
            let network = counts.largest(NetworkMetrics.topProcessLimit, by: { $0.netSentBytes + $0.netReceivedBytes }, names: &names)
            metrics.network?.topProcesses = network.map {
                ProcessNetworkIO(
                    pid: $0.pid, comm: $0.comm, sentBytes: $0.counts.netSentBytes, receivedBytes: $0.counts.netReceivedBytes,
                    sendCalls: $0.counts.netSendCalls, receiveCalls: $0.counts.netReceiveCalls
                )
            }
        }
    }

    /// The programs counting per process right now.
    private var countingAreas: Set<ProcessCountingArea> {
        Set(areas.compactMap(\.countingArea))
    }

    /// The recently exited list: its size, and how many exits were seen and lost.
    public nonisolated func exitedProcessesStatus() -> ExitedProcessesStatus {
        recentExits.withLock { list in
            ExitedProcessesStatus(
                held: list.count, capacity: list.capacity, memoryBytes: list.memoryBytes, seen: list.seen, dropped: list.dropped,
                tableFull: list.tableFull
            )
        }
    }

    /// Recently exited processes that `isVisible` allows, filtered, ordered and cut as `query` asks.
    ///
    /// Nonisolated, like ``topProcesses(_:visibleTo:)``: it never waits for a tick.
    public nonisolated func exitedProcesses(
        _ query: ExitedProcessesQuery,
        visibleTo isVisible: @Sendable (any ProcessRow) -> Bool = { _ in true }
    ) -> ExitedProcesses {
        let (processes, status) = recentExits.withLock { list in
            (list.processes, ExitedProcessesStatus(
                held: list.count, capacity: list.capacity, memoryBytes: list.memoryBytes, seen: list.seen, dropped: list.dropped,
                tableFull: list.tableFull
            ))
        }
        let window = publishedProcessWindow.withLock { $0 } ?? ProcessActivityWindow(windowNanoseconds: 0, timestamp: 0)
        let wantedUID = query.user.flatMap(UserDirectory.uid(of:))
        let matching = processes.filter { process in
            if let pid = query.pid, Int32(bitPattern: process.pid) != pid { return false }
            if query.user != nil, process.uid != wantedUID { return false }
            if let comm = query.comm, !process.comm.contains(comm), !(process.command?.contains(comm) ?? false) { return false }
            return true
        }
        var rows = window.exitedRows(matching).filter { isVisible($0) }
        rows.sort(by: query.sort.ordersBefore)
        var unavailable: [String: String] = [:]
        if processes.isEmpty {
            unavailable["processes"] = window.counts == nil && status.seen == 0
                ? "no exit records yet: \(window.unavailable[ProcessTopSort.cpu.rawValue] ?? "no process has exited since the daemon started")"
                : "no process has exited since the daemon started"
        }
        return ExitedProcesses(
            sort: query.sort, list: status, matched: rows.count, processes: Array(rows.prefix(query.limit)), unavailable: unavailable
        )
    }

    static func command(of tgid: UInt32) -> String? {
        guard case .success(let comm) = ProcFile.contents(of: "/proc/\(tgid)/comm") else { return nil }
        return String(comm.prefix { $0 != "\n" })
    }

    // MARK: - processes.top and the history

    /// The processes active in the latest collection's window that `isVisible` allows, sorted and
    /// filtered as `query` asks. Before the first collection the table is empty and every column says why.
    /// - Parameter isVisible: the caller's visibility step, applied before the query's filters and limit.
    ///
    /// Nonisolated: runs on the caller's executor (Swift's pool for requests), /proc reads and user
    /// lookups included, never on the collection thread, so it neither waits for a tick nor delays one.
    public nonisolated func topProcesses(
        _ query: ProcessTopQuery,
        visibleTo isVisible: @Sendable (any ProcessRow) -> Bool = { _ in true }
    ) async -> ProcessTop {
        let window = publishedProcessWindow.withLock { $0 } ?? ProcessActivityWindow(
            windowNanoseconds: 0, timestamp: Clock.epochMilliseconds(),
            unavailable: Dictionary(uniqueKeysWithValues: ProcessTopSort.allCases.map { ($0.rawValue, "no collection yet") })
        )
        // A process that exited since the collection is named (and owned) as its exit record says.
        return window.top(query, visibleTo: isVisible) { pid in self.recentExits.withLock { $0.newest(pid: pid) } }
    }

    /// The latest window's processes for the history (issue 14): a closure that, when called, names
    /// each live process from /proc and returns every process's window figures; `nil` rows when
    /// nothing counts per process. Taking it is cheap; call the closure off the collection thread.
    /// With the rows, the window's length in nanoseconds: the history rebuilds the metrics' per-process
    /// lists from the rows with it (``ProcessListBuilder``).
    public nonisolated func processWindowSamples() -> @Sendable () -> (samples: [ProcessWindowSample], windowNanoseconds: UInt64)? {
        let window = publishedProcessWindow.withLock { $0 }
        return { [identities] in
            guard let window, let samples = window.samples(identities: identities) else { return nil }
            return (samples, window.windowNanoseconds)
        }
    }

    /// Says in the process window why a column has no figures, with the reason the metrics give.
    private func noteMissingProcessColumns(from metrics: EbpfMetrics) {
        guard var window = processWindow else { return }
        let memoryReason = metrics.memory?.unavailable["events"] ?? metrics.unavailable[EbpfMetrics.Name.memoryDetails]
        if window.counts == nil, window.unavailable.isEmpty {
            let reason = lifecycle?.unavailableReason ?? notLoadedReason
            for column in ProcessTopSort.allCases { window.unavailable[column.rawValue] = "needs the eBPF process_lifecycle program: \(reason)" }
        }
        if !window.areas.contains(.cpu) {
            window.unavailable[ProcessTopSort.cpu.rawValue] =
                metrics.unavailable["top_processes"] ?? metrics.unavailable[EbpfMetrics.Name.cpu] ?? "no cpu_metrics reading"
        }
        if !window.areas.contains(.syscalls) {
            window.unavailable[ProcessTopSort.syscalls.rawValue] =
                metrics.unavailable[EbpfMetrics.Name.syscallDetails] ?? metrics.unavailable[EbpfMetrics.Name.syscalls]
                ?? "no syscalls reading"
        }
        if !window.areas.contains(.memory) {
            window.unavailable[ProcessTopSort.faults.rawValue] = memoryReason ?? "no memory_events reading"
            window.unavailable[ProcessTopSort.reclaim.rawValue] = memoryReason ?? "no memory_events reading"
        }
        processWindow = window
    }
}
