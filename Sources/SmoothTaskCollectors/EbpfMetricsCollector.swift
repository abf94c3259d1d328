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
    var config = EbpfConfig.defaults
    private var initialized = false

    private var cpu: ProgramSlot<CPUMetricsProgram>?
    private var syscalls: ProgramSlot<SyscallCounterProgram>?
    private var memory: ProgramSlot<MemoryEventsProgram>?
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
    var previousProcStat: ProcStat?
    var previousSchedSwitch: SchedSwitchSnapshot?
    private var previousSyscalls: (count: UInt64, atNanoseconds: UInt64)?
    var previousSyscallSnapshot: SyscallSnapshot?
    var previousMemoryEvents: MemoryEventsSnapshot?
    private var processWindow: ProcessActivityWindow?
    /// ``processWindow`` as of the latest finished collection, for ``topProcesses(_:)`` to read
    /// without a hop onto this actor: a burst of `processes.top` (each reading /proc for every active
    /// process) then never queues ahead of a tick on the collection thread.
    private nonisolated let publishedProcessWindow = Mutex<ProcessActivityWindow?>(nil)
    /// Run-queue latency, disk and network: each its own program and switch, loaded at initialize.
    var areas: [any EbpfMetricArea] = []
    /// Every program this collector loaded, in `status` order: CPU, syscalls, memory, then the areas.
    private var slots: [any AnyProgramSlot] {
        [lifecycle as (any AnyProgramSlot)?, cpu, syscalls, memory].compactMap { $0 } + areas
    }

    /// Where this actor runs: a dedicated thread, since every collection blocks on map and /proc reads.
    private let executor: CollectionExecutor

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

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
    }

    /// Exited processes kept for `processes.exited` unless the daemon is told otherwise: about 3 MiB.
    public static let defaultExitedProcessCapacity = 10_000

    /// Whether this system can run SmoothTask's eBPF programs, and if not the real reason: kernel
    /// too old, no kernel BTF, a tracepoint missing, or the kernel refusing to load a tracing program
    /// (with this process's capabilities).
    public static func checkEbpfSupport() -> EbpfSupport {
        EbpfSupportProbe.check()
    }

    /// Loads both programs and attaches those `config` enables.
    ///
    /// On failure the collector stays usable: CPU then comes from /proc/stat and the syscall
    /// figures are reported unavailable with the error's description.
    /// - Throws: the first step that failed (kernel check, open, load or attach).
    public func initialize(config: EbpfConfig) throws(BPFError) {
        shutdown()
        initialized = true
        previousCollectionNanoseconds = Clock.monotonicNanoseconds()
        previousProcStat = try? ProcStat.read()
        let lifecycle = ProgramSlot<ProcessLifecycleProgram>(loader: ProgramLoader(logger: logger))
        self.lifecycle = lifecycle
        let loader = ProgramLoader(logger: logger, sharedMaps: lifecycle.program?.sharedMaps ?? [])
        cpu = ProgramSlot(loader: loader)
        syscalls = ProgramSlot(loader: loader)
        memory = ProgramSlot(loader: loader)
        areas = Self.areaTypes.map { makeArea($0, loader: loader) }
        apply(config: config)
        if let failure = cpu?.failure ?? syscalls?.failure ?? memory?.failure {
            logger.warning("eBPF unavailable, falling back to /proc", metadata: [
                "error": "\(failure)", "remedy": "\(failure.remedy)",
            ])
            throw failure
        }
    }

    /// Applies a new configuration at runtime: attaches a loaded program its switch turns on and
    /// detaches (destroys the link of) one it turns off, without reloading anything.
    public func apply(config: EbpfConfig) {
        self.config = config
        guard initialized else { return }
        if let lifecycle {
            // On whenever eBPF runs: every per-process figure needs its exit records.
            applySwitch(
                lifecycle, enabled: true,
                takeBaseline: { () throws(BPFError) in
                    guard let program = lifecycle.attached else { return }
                    accountingStartBoottime = Clock.boottimeNanoseconds()
                    _ = try program.takeExits()
                    ledger.restart(at: try program.reading())
                },
                dropBaseline: {}
            )
        }
        if let cpu {
            applySwitch(
                cpu, config: config,
                takeBaseline: { () throws(BPFError) in previousSchedSwitch = try cpu.attached?.snapshot() },
                dropBaseline: { previousSchedSwitch = nil }
            )
        }
        if let syscalls {
            applySwitch(
                syscalls, config: config,
                takeBaseline: { () throws(BPFError) in
                    guard let program = syscalls.attached else { return }
                    previousSyscalls = (try program.totalCount(), Clock.monotonicNanoseconds())
                    previousSyscallSnapshot = try program.snapshot()
                },
                dropBaseline: {
                    previousSyscalls = nil
                    previousSyscallSnapshot = nil
                }
            )
        }
        if let memory {
            applySwitch(
                memory, config: config,
                takeBaseline: { () throws(BPFError) in previousMemoryEvents = try memory.attached?.snapshot() },
                dropBaseline: { previousMemoryEvents = nil }
            )
        }
        for area in areas { area.apply(config: config) }
    }

    /// Detaches the programs the overhead budget sheds (`reasons`, by switch: the reason is what
    /// `unavailable` and `status` say meanwhile) and re-attaches those no longer listed whose switch
    /// is on, taking a fresh baseline as a switch change would.
    public func shed(_ reasons: [MetricSwitch: String]) {
        for slot in slots {
            guard let metricSwitch = slot.metricSwitch else { continue }
            slot.shed(reason: reasons[metricSwitch])
        }
        apply(config: config)
    }

    /// Takes one collection: each metric the configuration enables, from eBPF where it can, over the
    /// window since the previous collection.
    public func collectMetrics() -> EbpfMetrics {
        let now = Clock.monotonicNanoseconds()
        let windowStart = previousCollectionNanoseconds ?? now
        previousCollectionNanoseconds = now
        var metrics = EbpfMetrics(
            timestamp: Clock.epochMilliseconds(),
            windowMilliseconds: Int64((now - windowStart) / 1_000_000)
        )
        processWindow = ProcessActivityWindow(windowNanoseconds: now - windowStart, timestamp: metrics.timestamp)
        let processReading = readProcesses()
        collectCPU(into: &metrics, schedSwitch: (try? processReading?.get())?.schedSwitch)
        collectMemory(into: &metrics)
        collectSyscalls(into: &metrics)
        collectMemoryEvents(into: &metrics)
        for area in areas { area.collect(into: &metrics) }
        if let processReading { collectProcesses(processReading, into: &metrics) }
        noteMissingProcessColumns(from: metrics)
        publishedProcessWindow.withLock { [processWindow] in $0 = processWindow }
        return metrics
    }

    /// The areas whose whole output is one ``EbpfMetrics`` field: the one list a new such area joins.
    static var areaTypes: [any MetricAreaReader.Type] {
        [SchedLatencyProgram.self, DiskMetricsProgram.self, NetworkMetricsProgram.self]
    }

    /// Every program type this collector loads, in `status` order.
    static var programTypes: [any KernelProgram.Type] {
        [ProcessLifecycleProgram.self, CPUMetricsProgram.self, SyscallCounterProgram.self, MemoryEventsProgram.self] + areaTypes
    }

    private func makeArea<Reader: MetricAreaReader>(_ type: Reader.Type, loader: ProgramLoader) -> any EbpfMetricArea {
        MetricArea<Reader>(loader: loader)
    }

    /// The state of each program: attached, or why not.
    public func programStatuses() -> [ProgramStatus] {
        guard initialized else {
            return Self.programTypes.map { type in
                ProgramStatus(name: type.name, hook: "-", attached: false, detail: "not loaded: the collector is not initialized")
            }
        }
        return slots.map(\.status)
    }

    /// What each loaded program has cost in the kernel; counts only when `kernelKeepsStatistics`
    /// (``BPFStatisticsSwitch/isOn``), since the counters stand still otherwise.
    public func programOverheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        slots.flatMap { $0.overheads(kernelKeepsStatistics: kernelKeepsStatistics) }
    }

    /// Detaches and unloads every program; ``initialize(config:)`` may load them again.
    public func shutdown() {
        for slot in slots { slot.shutdown() }
        areas = []
        cpu = nil
        syscalls = nil
        memory = nil
        lifecycle = nil
        previousSchedSwitch = nil
        previousSyscalls = nil
        previousSyscallSnapshot = nil
        previousMemoryEvents = nil
        processWindow = nil
        publishedProcessWindow.withLock { $0 = nil }
        initialized = false
    }

    // MARK: - CPU

    /// - Parameter schedSwitch: the accounting read with the per-process counters, used instead of
    ///   a reading of its own so the busy time and the processes' CPU cover the same window.
    private func collectCPU(into metrics: inout EbpfMetrics, schedSwitch: SchedSwitchSnapshot?) {
        let name = EbpfMetrics.Name.cpu
        guard config.enableCPUMetrics else {
            previousProcStat = nil
            metrics.sources[name] = .disabled
            metrics.unavailable[name] = MetricSwitch.cpu.disabledReason
            return
        }
        // Read every time so the fallback has a baseline the moment the eBPF program stops working.
        let procStat = Result { () throws(ProcfsError) in try ProcStat.read() }
        defer { previousProcStat = try? procStat.get() }

        var ebpfFailure = cpu.map(\.unavailableReason) ?? "the collector is not initialized"
        if let cpuProgram = cpu?.attached {
            do throws(BPFError) {
                let snapshot: SchedSwitchSnapshot
                if let schedSwitch { snapshot = schedSwitch } else { snapshot = try cpuProgram.snapshot() }
                defer { previousSchedSwitch = snapshot }
                guard let previous = previousSchedSwitch else {
                    metrics.sources[name] = .ebpf
                    metrics.unavailable[name] = "first collection: no interval yet"
                    return
                }
                let usage = snapshot.busyPercent(since: previous)
                metrics.cpuUsage = usage.overall
                metrics.cpuPerCore = usage.perCPU
                metrics.sources[name] = .ebpf
                if usage.overall == nil { metrics.unavailable[name] = "no context switch seen in the window yet" }
                return
            } catch {
                logger.warning("Reading cpu_metrics failed, falling back to /proc/stat", metadata: ["error": "\(error)"])
                ebpfFailure = error.description
            }
        }

        metrics.unavailable["top_processes"] = "needs the eBPF cpu_metrics program: \(ebpfFailure)"
        switch procStat {
        case .failure(let error):
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = "eBPF: \(ebpfFailure); /proc/stat: \(error)"
        case .success(let stat):
            metrics.sources[name] = .procfs
            guard let previous = previousProcStat else {
                metrics.unavailable[name] = "first collection: no interval yet"
                return
            }
            metrics.cpuUsage = stat.total.busyPercent(since: previous.total)
            metrics.cpuPerCore = stat.perCPUBusyPercent(since: previous)
            if metrics.cpuUsage == nil { metrics.unavailable[name] = "no /proc/stat tick elapsed in the window" }
        }
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
        let seconds = Double(nanoseconds) / 1e9
        func rate(_ count: UInt64) -> Double { seconds > 0 ? Double(count) / seconds : 0 }
        let areas = countingAreas
        if areas.contains(.cpu), metrics.sources[EbpfMetrics.Name.cpu] == .ebpf, nanoseconds > 0 {
            metrics.topProcesses = counts.largest(EbpfMetrics.topProcessLimit, by: \.cpuNanoseconds).map {
                ProcessCPUUsage(
                    pid: $0.pid, comm: $0.comm, cpuPercent: Double($0.counts.cpuNanoseconds) / Double(nanoseconds) * 100,
                    cpuTimeNanoseconds: $0.counts.cpuNanoseconds
                )
            }
        }
        if areas.contains(.syscalls), metrics.syscalls != nil {
            metrics.syscalls?.topProcesses = counts.largest(SyscallMetrics.topLimit, by: \.syscalls).map {
                ProcessEventCount(pid: $0.pid, comm: $0.comm, count: $0.counts.syscalls, ratePerSecond: rate($0.counts.syscalls))
            }
        }
        if areas.contains(.memory), metrics.memory?.events != nil {
            metrics.memory?.events?.topFaulting = counts.largest(MemoryEventMetrics.topLimit, by: \.userFaults).map {
                ProcessEventCount(pid: $0.pid, comm: $0.comm, count: $0.counts.userFaults, ratePerSecond: rate($0.counts.userFaults))
            }
        }
        if areas.contains(.disk), metrics.disk != nil {
            metrics.disk?.topProcesses = counts.largest(DiskMetrics.topProcessLimit) { $0.diskReadBytes + $0.diskWriteBytes }.map {
                ProcessDiskIO(pid: $0.pid, comm: $0.comm, readBytes: $0.counts.diskReadBytes, writeBytes: $0.counts.diskWriteBytes)
            }
        }
        if areas.contains(.network), metrics.network?.topProcesses != nil {
            metrics.network?.topProcesses = counts.largest(NetworkMetrics.topProcessLimit) { $0.netSentBytes + $0.netReceivedBytes }.map {
                ProcessNetworkIO(
                    pid: $0.pid, comm: $0.comm, sentBytes: $0.counts.netSentBytes, receivedBytes: $0.counts.netReceivedBytes,
                    sendCalls: $0.counts.netSendCalls, receiveCalls: $0.counts.netReceiveCalls
                )
            }
        }
    }

    /// The programs counting per process right now.
    private var countingAreas: Set<ProcessCountingArea> {
        var counting = Set(areas.compactMap(\.countingArea))
        if cpu?.attached != nil, config.enableCPUMetrics { counting.insert(.cpu) }
        if syscalls?.attached != nil, config.enableSyscallMonitoring { counting.insert(.syscalls) }
        if memory?.attached != nil, config.enableMemoryMetrics { counting.insert(.memory) }
        return counting
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

    // MARK: - Memory and syscalls

    private func collectMemory(into metrics: inout EbpfMetrics) {
        let name = EbpfMetrics.Name.memory
        guard config.enableMemoryMetrics else {
            metrics.sources[name] = .disabled
            metrics.unavailable[name] = MetricSwitch.memory.disabledReason
            return
        }
        do throws(ProcfsError) {
            let meminfo = try ProcMeminfo.read()
            metrics.memoryUsage = meminfo.usedBytes
            metrics.memoryTotal = meminfo.totalBytes
            metrics.sources[name] = .procfs
        } catch {
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = error.description
        }
    }

    private func collectSyscalls(into metrics: inout EbpfMetrics) {
        let name = EbpfMetrics.Name.syscalls
        guard config.enableSyscallMonitoring else {
            metrics.sources[name] = .disabled
            metrics.unavailable[name] = MetricSwitch.syscalls.disabledReason
            metrics.unavailable[EbpfMetrics.Name.syscallDetails] = metrics.unavailable[name]
            return
        }
        guard let syscallProgram = syscalls?.attached else {
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = syscalls.map(\.unavailableReason) ?? "the collector is not initialized"
            metrics.unavailable[EbpfMetrics.Name.syscallDetails] = metrics.unavailable[name]
            return
        }
        do throws(BPFError) {
            let count = try syscallProgram.totalCount()
            let now = Clock.monotonicNanoseconds()
            metrics.syscallCount = count
            metrics.sources[name] = .ebpf
            if let previous = previousSyscalls, now > previous.atNanoseconds {
                let seconds = Double(now - previous.atNanoseconds) / 1e9
                metrics.syscallRate = Double(count.subtractingClamped(previous.count)) / seconds
            }
            previousSyscalls = (count, now)
            collectSyscallDetails(syscallProgram, into: &metrics)
        } catch {
            logger.warning("Reading syscalls failed", metadata: ["error": "\(error)"])
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = error.description
        }
    }

    // MARK: - Syscall and memory details, processes.top

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
    public nonisolated func processWindowSamples() -> @Sendable () -> [ProcessWindowSample]? {
        let window = publishedProcessWindow.withLock { $0 }
        return { [identities] in window?.samples(identities: identities) }
    }

    private func collectSyscallDetails(_ program: SyscallCounterProgram, into metrics: inout EbpfMetrics) {
        do throws(BPFError) {
            let snapshot = try program.snapshot()
            defer { previousSyscallSnapshot = snapshot }
            guard let previous = previousSyscallSnapshot else {
                metrics.unavailable[EbpfMetrics.Name.syscallDetails] = "first collection: no interval yet"
                return
            }
            metrics.syscalls = SyscallReport.metrics(current: snapshot, previous: previous)
        } catch {
            logger.warning("Reading syscalls maps failed", metadata: ["error": "\(error)"])
            metrics.unavailable[EbpfMetrics.Name.syscallDetails] = error.description
        }
    }

    /// Switches `slot`'s program as `config` says, taking the baseline its next window starts from
    /// when it was just attached, or dropping it when it is off.
    private func applySwitch<Program: MetricProgram>(
        _ slot: ProgramSlot<Program>,
        config: EbpfConfig,
        takeBaseline: () throws(BPFError) -> Void,
        dropBaseline: () -> Void
    ) {
        applySwitch(slot, enabled: config[Program.metricSwitch], takeBaseline: takeBaseline, dropBaseline: dropBaseline)
    }

    private func applySwitch<Program>(
        _ slot: ProgramSlot<Program>,
        enabled: Bool,
        takeBaseline: () throws(BPFError) -> Void,
        dropBaseline: () -> Void
    ) {
        switch slot.apply(enabled: enabled) {
        case .attached:
            do throws(BPFError) {
                try takeBaseline()
            } catch {
                slot.fail(error)
            }
        case .detached: dropBaseline()
        case .unchanged: break
        }
    }

    /// The `memory` details: procfs system figures and, from eBPF, faults, reclaim and OOM kills.
    private func collectMemoryEvents(into metrics: inout EbpfMetrics) {
        let name = EbpfMetrics.Name.memoryDetails
        guard config.enableMemoryMetrics else {
            metrics.unavailable[name] = MetricSwitch.memory.disabledReason
            return
        }
        var memory = MemoryMetrics(system: nil, events: nil)
        do throws(ProcfsError) {
            let meminfo = try ProcMeminfo.read()
            memory.system = SystemMemory(
                totalBytes: meminfo.totalBytes, availableBytes: meminfo.availableBytes, freeBytes: meminfo.freeBytes,
                swapTotalBytes: meminfo.swapTotalBytes, swapFreeBytes: meminfo.swapFreeBytes, pressure: ProcPressure.memory()
            )
        } catch {
            memory.unavailable["system"] = error.description
        }
        if let memoryProgram = self.memory?.attached {
            do throws(BPFError) {
                let snapshot = try memoryProgram.snapshot()
                defer { previousMemoryEvents = snapshot }
                if let previous = previousMemoryEvents {
                    memory.events = MemoryEventsReport.metrics(current: snapshot, previous: previous)
                } else {
                    memory.unavailable["events"] = "first collection: no interval yet"
                }
            } catch {
                logger.warning("Reading memory_events failed", metadata: ["error": "\(error)"])
                memory.unavailable["events"] = error.description
            }
        } else {
            memory.unavailable["events"] = self.memory.map(\.unavailableReason) ?? "the collector is not initialized"
        }
        metrics.memory = memory
    }

    /// Says in the process window why a column has no figures, with the reason the metrics give.
    private func noteMissingProcessColumns(from metrics: EbpfMetrics) {
        guard var window = processWindow else { return }
        let memoryReason = metrics.memory?.unavailable["events"] ?? metrics.unavailable[EbpfMetrics.Name.memoryDetails]
        if window.counts == nil, window.unavailable.isEmpty {
            let reason = lifecycle?.unavailableReason ?? "the collector is not initialized"
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
