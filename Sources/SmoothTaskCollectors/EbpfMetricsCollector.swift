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
/// Processes that exited are deleted from the per-process maps by each program's
/// sched_process_exit hook, so the maps and baselines stay bounded by the live processes.
public actor EbpfMetricsCollector {
    private let logger: Logger
    private var config = EbpfConfig.defaults
    private var initialized = false

    private var cpuProgram: CPUMetricsProgram?
    private var cpuProgramFailure: BPFError?
    private var syscallProgram: SyscallCounterProgram?
    private var syscallProgramFailure: BPFError?
    private var memoryProgram: MemoryEventsProgram?
    private var memoryProgramFailure: BPFError?

    private var previousCollectionNanoseconds: UInt64?
    private var previousProcStat: ProcStat?
    private var previousSchedSwitch: SchedSwitchSnapshot?
    private var previousSyscalls: (count: UInt64, atNanoseconds: UInt64)?
    private var previousSyscallSnapshot: SyscallSnapshot?
    private var previousMemoryEvents: MemoryEventsSnapshot?
    private var processWindow: ProcessActivityWindow?
    /// ``processWindow`` as of the latest finished collection, for ``topProcesses(_:)`` to read
    /// without a hop onto this actor: a burst of `processes.top` (each reading /proc for every active
    /// process) then never queues ahead of a tick on the collection thread.
    private nonisolated let publishedProcessWindow = Mutex<ProcessActivityWindow?>(nil)
    /// Run-queue latency, disk and network: each its own program and switch, loaded at initialize.
    private var areas: [any EbpfMetricArea] = []

    /// Where this actor runs: a dedicated thread, since every collection blocks on map and /proc reads.
    private let executor: CollectionExecutor

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Creates a collector that loads nothing until ``initialize(config:)``.
    /// - Parameters:
    ///   - logger: receives the collector's and libbpf's messages.
    ///   - executor: the thread this actor runs on; the daemon shares one with its other collectors
    ///     and its collection loop.
    public init(logger: Logger, executor: CollectionExecutor = CollectionExecutor()) {
        self.logger = logger
        self.executor = executor
    }

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
        if KernelBTF.isPresent {
            do throws(BPFError) {
                cpuProgram = try CPUMetricsProgram(logger: logger)
            } catch {
                cpuProgramFailure = error
            }
            do throws(BPFError) {
                syscallProgram = try SyscallCounterProgram(logger: logger)
            } catch {
                syscallProgramFailure = error
            }
            do throws(BPFError) {
                memoryProgram = try MemoryEventsProgram(logger: logger)
            } catch {
                memoryProgramFailure = error
            }
        } else {
            cpuProgramFailure = .noKernelBTF(path: KernelBTF.path)
            syscallProgramFailure = cpuProgramFailure
            memoryProgramFailure = cpuProgramFailure
        }
        areas = [
            MetricArea<SchedLatencyProgram>(logger: logger),
            MetricArea<DiskMetricsProgram>(logger: logger),
            MetricArea<NetworkMetricsProgram>(logger: logger),
        ]
        apply(config: config)
        if let failure = cpuProgramFailure ?? syscallProgramFailure ?? memoryProgramFailure {
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
        cpuProgramFailure = applySwitch(
            config.enableCPUMetrics, to: cpuProgram, failure: cpuProgramFailure,
            takeBaseline: { () throws(BPFError) in previousSchedSwitch = try cpuProgram?.snapshot() },
            dropBaseline: { previousSchedSwitch = nil }
        )
        syscallProgramFailure = applySwitch(
            config.enableSyscallMonitoring, to: syscallProgram, failure: syscallProgramFailure,
            takeBaseline: { () throws(BPFError) in
                guard let syscallProgram else { return }
                previousSyscalls = (try syscallProgram.totalCount(), Clock.monotonicNanoseconds())
                previousSyscallSnapshot = try syscallProgram.snapshot()
            },
            dropBaseline: {
                previousSyscalls = nil
                previousSyscallSnapshot = nil
            }
        )
        memoryProgramFailure = applySwitch(
            config.enableMemoryMetrics, to: memoryProgram, failure: memoryProgramFailure,
            takeBaseline: { () throws(BPFError) in previousMemoryEvents = try memoryProgram?.snapshot() },
            dropBaseline: { previousMemoryEvents = nil }
        )
        for area in areas { area.apply(config: config) }
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
        collectCPU(into: &metrics)
        collectMemory(into: &metrics)
        collectSyscalls(into: &metrics)
        collectMemoryEvents(into: &metrics)
        noteMissingProcessColumns(from: metrics)
        for area in areas { area.collect(into: &metrics) }
        publishedProcessWindow.withLock { [processWindow] in $0 = processWindow }
        return metrics
    }

    /// The state of each program: attached, or why not.
    public func programStatuses() -> [ProgramStatus] {
        [
            status(
                name: CPUMetricsProgram.name, hook: CPUMetricsProgram.hook, attached: cpuProgram?.isAttached ?? false,
                enabled: config.enableCPUMetrics, switchName: "enable_cpu_metrics", failure: cpuProgramFailure
            ),
            status(
                name: SyscallCounterProgram.name, hook: SyscallCounterProgram.hook,
                attached: syscallProgram?.isAttached ?? false, enabled: config.enableSyscallMonitoring,
                switchName: "enable_syscall_monitoring", failure: syscallProgramFailure
            ),
            status(
                name: MemoryEventsProgram.name, hook: MemoryEventsProgram.hook,
                attached: memoryProgram?.isAttached ?? false, enabled: config.enableMemoryMetrics,
                switchName: "enable_memory_metrics", failure: memoryProgramFailure
            ),
        ] + areas.map(\.status)
    }

    /// What each loaded program has cost in the kernel; counts only when `kernelKeepsStatistics`
    /// (``BPFStatisticsSwitch/isOn``), since the counters stand still otherwise.
    public func programOverheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        let loaded = [cpuProgram as (any MeasuredProgram)?, syscallProgram, memoryProgram].compactMap { $0 }
        return loaded.flatMap { $0.overheads(kernelKeepsStatistics: kernelKeepsStatistics) }
    }

    /// Detaches and unloads every program; ``initialize(config:)`` may load them again.
    public func shutdown() {
        cpuProgram?.detach()
        syscallProgram?.detach()
        memoryProgram?.detach()
        for area in areas { area.shutdown() }
        areas = []
        cpuProgram = nil
        syscallProgram = nil
        memoryProgram = nil
        cpuProgramFailure = nil
        syscallProgramFailure = nil
        memoryProgramFailure = nil
        previousSchedSwitch = nil
        previousSyscalls = nil
        previousSyscallSnapshot = nil
        previousMemoryEvents = nil
        processWindow = nil
        publishedProcessWindow.withLock { $0 = nil }
        initialized = false
    }

    private func status(
        name: String, hook: String, attached: Bool, enabled: Bool, switchName: String, failure: BPFError?
    ) -> ProgramStatus {
        let detail: String? =
            if attached { nil }
            else if let failure { failure.description }
            else if !initialized { "not loaded: the collector is not initialized" }
            else if !enabled { "disabled by \(switchName)=false" }
            else { "not attached" }
        return ProgramStatus(name: name, hook: hook, attached: attached, detail: detail)
    }

    // MARK: - CPU

    private func collectCPU(into metrics: inout EbpfMetrics) {
        let name = EbpfMetrics.Name.cpu
        guard config.enableCPUMetrics else {
            previousProcStat = nil
            metrics.sources[name] = .disabled
            metrics.unavailable[name] = "disabled by enable_cpu_metrics=false"
            return
        }
        // Read every time so the fallback has a baseline the moment the eBPF program stops working.
        let procStat = Result { () throws(ProcfsError) in try ProcStat.read() }
        defer { previousProcStat = try? procStat.get() }

        var ebpfFailure = cpuProgramFailure?.description ?? "the collector is not initialized"
        if let cpuProgram, cpuProgram.isAttached {
            do throws(BPFError) {
                let snapshot = try cpuProgram.snapshot()
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
                metrics.topProcesses = topProcesses(now: snapshot, previous: previous)
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

    /// The busiest processes between two snapshots; every process's share goes to the process window.
    private func topProcesses(now snapshot: SchedSwitchSnapshot, previous: SchedSwitchSnapshot) -> [ProcessCPUUsage] {
        let windowNanoseconds = snapshot.takenAtNanoseconds.subtractingClamped(previous.takenAtNanoseconds)
        let busy = CounterDeltas.between(snapshot.processNanoseconds, previous.processNanoseconds)
        processWindow?.cpuNanoseconds = busy
        processWindow?.windowNanoseconds = windowNanoseconds
        guard windowNanoseconds > 0 else { return [] }
        return CounterDeltas.largest(busy, limit: EbpfMetrics.topProcessLimit).map { process in
            ProcessCPUUsage(
                pid: Int32(bitPattern: process.key),
                comm: Self.command(of: process.key),
                cpuPercent: Double(process.value) / Double(windowNanoseconds) * 100,
                cpuTimeNanoseconds: process.value
            )
        }
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
            metrics.unavailable[name] = "disabled by enable_memory_metrics=false"
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
            metrics.unavailable[name] = "disabled by enable_syscall_monitoring=false"
            metrics.unavailable[EbpfMetrics.Name.syscallDetails] = metrics.unavailable[name]
            return
        }
        guard let syscallProgram, syscallProgram.isAttached else {
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = syscallProgramFailure?.description ?? "the collector is not initialized"
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
        return window.top(query, visibleTo: isVisible)
    }

    private func collectSyscallDetails(_ program: SyscallCounterProgram, into metrics: inout EbpfMetrics) {
        do throws(BPFError) {
            let snapshot = try program.snapshot()
            defer { previousSyscallSnapshot = snapshot }
            guard let previous = previousSyscallSnapshot else {
                metrics.unavailable[EbpfMetrics.Name.syscallDetails] = "first collection: no interval yet"
                return
            }
            metrics.syscalls = SyscallReport.metrics(current: snapshot, previous: previous, comm: Self.command(of:))
            processWindow?.syscalls = CounterDeltas.between(snapshot.perProcess, previous.perProcess)
        } catch {
            logger.warning("Reading syscalls maps failed", metadata: ["error": "\(error)"])
            metrics.unavailable[EbpfMetrics.Name.syscallDetails] = error.description
        }
    }

    /// Attaches `program` when its switch turns on, taking the baseline its next window starts
    /// from, or detaches it when the switch is off. Returns the failure to report from now on.
    private func applySwitch(
        _ enabled: Bool,
        to program: (any MeasuredProgram)?,
        failure: BPFError?,
        takeBaseline: () throws(BPFError) -> Void,
        dropBaseline: () -> Void
    ) -> BPFError? {
        guard let program else { return failure }
        guard enabled else {
            program.detach()
            dropBaseline()
            return failure
        }
        guard !program.isAttached else { return failure }
        do throws(BPFError) {
            try program.attach()
            try takeBaseline()
            return nil
        } catch {
            program.detach()
            logger.warning("Attaching a program failed", metadata: ["program": "\(type(of: program).name)", "error": "\(error)"])
            return error
        }
    }

    /// The `memory` details: procfs system figures and, from eBPF, faults, reclaim and OOM kills.
    private func collectMemoryEvents(into metrics: inout EbpfMetrics) {
        let name = EbpfMetrics.Name.memoryDetails
        guard config.enableMemoryMetrics else {
            metrics.unavailable[name] = "disabled by enable_memory_metrics=false"
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
        if let memoryProgram, memoryProgram.isAttached {
            do throws(BPFError) {
                let snapshot = try memoryProgram.snapshot()
                defer { previousMemoryEvents = snapshot }
                if let previous = previousMemoryEvents {
                    memory.events = MemoryEventsReport.metrics(current: snapshot, previous: previous, comm: Self.command(of:))
                    processWindow?.userFaults = CounterDeltas.between(snapshot.perProcess(\.userFaults), previous.perProcess(\.userFaults))
                    processWindow?.reclaimStalls = CounterDeltas.between(
                        snapshot.perProcess(\.reclaimStalls), previous.perProcess(\.reclaimStalls)
                    )
                    processWindow?.reclaimNanoseconds = CounterDeltas.between(
                        snapshot.perProcess(\.reclaimNanoseconds), previous.perProcess(\.reclaimNanoseconds)
                    )
                } else {
                    memory.unavailable["events"] = "first collection: no interval yet"
                }
            } catch {
                logger.warning("Reading memory_events failed", metadata: ["error": "\(error)"])
                memory.unavailable["events"] = error.description
            }
        } else {
            memory.unavailable["events"] = memoryProgramFailure?.description ?? "the collector is not initialized"
        }
        metrics.memory = memory
    }

    /// Says in the process window why a column has no figures, with the reason the metrics give.
    private func noteMissingProcessColumns(from metrics: EbpfMetrics) {
        guard var window = processWindow else { return }
        let memoryReason = metrics.memory?.unavailable["events"] ?? metrics.unavailable[EbpfMetrics.Name.memoryDetails]
        if window.cpuNanoseconds == nil {
            window.unavailable[ProcessTopSort.cpu.rawValue] =
                metrics.unavailable["top_processes"] ?? metrics.unavailable[EbpfMetrics.Name.cpu] ?? "no cpu_metrics reading"
        }
        if window.syscalls == nil {
            window.unavailable[ProcessTopSort.syscalls.rawValue] =
                metrics.unavailable[EbpfMetrics.Name.syscallDetails] ?? metrics.unavailable[EbpfMetrics.Name.syscalls]
                ?? "no syscalls reading"
        }
        if window.userFaults == nil {
            window.unavailable[ProcessTopSort.faults.rawValue] = memoryReason ?? "no memory_events reading"
            window.unavailable[ProcessTopSort.reclaim.rawValue] = memoryReason ?? "no memory_events reading"
        }
        processWindow = window
    }
}
