import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// CPU time per cgroup v2 and per systemd unit, from `bpf/cgroup_cpu.bpf.c`, named by walking
/// /sys/fs/cgroup.
///
/// Each ``collect()`` covers the window since the previous one. Entries of cgroups that were removed
/// are deleted from the kernel map once their time stops changing, so the map stays bounded by the
/// live cgroups.
public actor CgroupCPUCollector {
    private let logger: Logger
    private var slot: ProgramSlot<CgroupCPUProgram>?
    private var previous: CgroupCPUSnapshot?
    private var directory: CgroupDirectory

    /// On-CPU intervals the kernel could not charge because its map was full, since load, as of the
    /// latest collection; `nil` before the first one.
    public private(set) var droppedIntervals: UInt64?

    /// Where this actor runs: a dedicated thread, since every collection blocks on map reads and a
    /// walk of /sys/fs/cgroup.
    private let executor: CollectionExecutor

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Creates a collector that loads nothing until ``initialize(enabled:)``.
    /// - Parameters:
    ///   - cgroupRoot: where the cgroup v2 hierarchy is mounted; found in /proc/self/mountinfo when `nil`.
    ///   - executor: the thread this actor runs on; the daemon shares one with its other collectors
    ///     and its collection loop.
    public init(logger: Logger, cgroupRoot: String? = nil, executor: CollectionExecutor = CollectionExecutor()) {
        self.logger = logger
        self.executor = executor
        directory = CgroupDirectory(root: cgroupRoot ?? CgroupDirectory.mountPoint())
    }

    /// Loads the program and attaches it if `enabled`.
    /// - Throws: the step that failed; ``collect()`` then reports the figures unavailable with it.
    public func initialize(enabled: Bool) throws(BPFError) {
        shutdown()
        let slot = ProgramSlot<CgroupCPUProgram>(loader: ProgramLoader(logger: logger))
        self.slot = slot
        apply(enabled: enabled)
        if let failure = slot.failure { throw failure }
    }

    /// Attaches or detaches the program (`enable_cgroup_metrics`) without reloading it.
    public func apply(enabled: Bool) {
        guard let slot else { return }
        switch slot.apply(enabled: enabled) {
        case .attached:
            do throws(BPFError) {
                previous = try slot.attached?.snapshot()
            } catch {
                slot.fail(error)
            }
        case .detached: previous = nil
        case .unchanged: break
        }
    }

    /// Detaches the program while the overhead budget sheds it (`reason`, what `cgroups.top` and
    /// `status` say meanwhile), or re-attaches it with a fresh baseline (`nil`) if its switch is on.
    public func shed(reason: String?) {
        guard let slot else { return }
        slot.shed(reason: reason)
        apply(enabled: slot.enabled)
    }

    /// Every cgroup that ran over the window since the previous collection, busiest first.
    public func collect(timestamp: Int64) -> CgroupsReport {
        guard let slot else {
            return report(nil, timestamp: timestamp, window: 0, source: .unavailable, "the cgroup program is not loaded")
        }
        guard slot.enabled else {
            return report(
                nil, timestamp: timestamp, window: 0, source: .disabled, CgroupCPUProgram.metricSwitch.disabledReason
            )
        }
        guard let program = slot.attached else {
            return report(nil, timestamp: timestamp, window: 0, source: .unavailable, slot.unavailableReason)
        }
        let snapshot: CgroupCPUSnapshot
        do throws(BPFError) {
            snapshot = try program.snapshot()
        } catch {
            logger.warning("Reading cgroup_cpu failed", metadata: ["error": "\(error)"])
            return report(nil, timestamp: timestamp, window: 0, source: .unavailable, error.description)
        }
        defer { previous = snapshot }
        droppedIntervals = snapshot.droppedIntervals
        guard let previous else {
            return report(nil, timestamp: timestamp, window: 0, source: .ebpf, "first collection: no interval yet")
        }
        let window = snapshot.takenAtNanoseconds.subtractingClamped(previous.takenAtNanoseconds)
        var rows: [CgroupCPUUsage] = []
        for (id, total) in snapshot.cgroupNanoseconds {
            let before = previous.cgroupNanoseconds[id]
            let path = directory.path(of: id)
            if before == total, path == nil {
                try? program.forgetCgroup(id)
                continue
            }
            let delta = before.map { total.subtractingClamped($0) } ?? total
            rows.append(CgroupCPUUsage(
                cgroup: path,
                id: id,
                unit: path.flatMap(SystemdUnit.name(of:)),
                cpuPercent: window == 0 ? 0 : Double(delta) / Double(window) * 100,
                cpuTimeNanoseconds: delta,
                cpuTotalNanoseconds: total
            ))
        }
        rows.sort { $0.cpuTimeNanoseconds > $1.cpuTimeNanoseconds }
        return report(rows, timestamp: timestamp, window: window / 1_000_000, source: .ebpf, nil)
    }

    /// The program's state for `status`.
    public func programStatus() -> ProgramStatus {
        slot?.status ?? ProgramStatus(name: CgroupCPUProgram.name, hook: "-", attached: false, detail: "not loaded")
    }

    /// What the program has cost in the kernel; counts only when `kernelKeepsStatistics`.
    public func programOverheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        slot?.overheads(kernelKeepsStatistics: kernelKeepsStatistics) ?? []
    }

    /// Detaches and unloads the program.
    public func shutdown() {
        slot?.shutdown()
        slot = nil
        previous = nil
    }

    private func report(
        _ rows: [CgroupCPUUsage]?, timestamp: Int64, window: UInt64, source: MetricSource, _ reason: String?
    ) -> CgroupsReport {
        CgroupsReport(
            by: .cgroup, cgroups: rows, timestamp: timestamp, windowMilliseconds: Int64(window),
            source: source, unavailable: reason
        )
    }
}
