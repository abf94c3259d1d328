import CSmoothTaskBPFTypes
import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/process_lifecycle.bpf.c`: command lines captured at exec, and at each process
/// exit its final totals from every per-process map, read from a ring buffer into ``inbox``.
///
/// It creates the process table and the per-CPU accounting (bpf/process_maps.h) that the metric
/// objects then share (``sharedMaps``, through ``ProgramLoader``), so it is loaded first, and it
/// reads the table for every process's counters (``reading()``).
final class ProcessLifecycleProgram: KernelProgram {
    static let name = "process_lifecycle"

    /// Its BPF programs (exec and exit).
    let programs: BPFLinkSet
    /// The process table (and cpu_metrics' per-CPU accounting), to reuse in every other object.
    let sharedMaps: [BPFMap]
    /// Exited processes read from the ring buffer and not yet taken.
    private let inbox = ExitInbox()
    private var ring: BPFRingBuffer?

    private let cpuAccounting: BPFMap
    private let table: BPFMap
    private let tableFull: BPFMap
    private let totals: BPFMap
    private let exits: BPFMap
    private let logger: Logger
    /// Where the drain thread counts its CPU.
    private let monitoringCPU: MonitoringCPU
    private var drain: RingBufferDrain?
    /// The table as the previous ``reading()`` read it, which nothing else holds: the next reading
    /// refills it rather than mapping and faulting in a new dictionary (megabytes at 10,000 processes).
    private var spareTable: [UInt32: ProcessTableEntry] = [:]

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        logger = loader.logger
        monitoringCPU = loader.monitoringCPU
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.processLifecycle.elfBytes)
        try object.load()
        programs = BPFLinkSet(programs: [try object.program(named: "record_exec"), try object.program(named: "record_exit")])
        cpuAccounting = try object.map(named: "cpu_accounting")
        table = try object.map(named: "process_table")
        tableFull = try object.map(named: "process_table_full")
        totals = try object.map(named: "lifecycle_totals")
        exits = try object.map(named: "exits")
        sharedMaps = [cpuAccounting, table, tableFull]
    }

    deinit {
        drain?.stop()
    }

    /// Starts its programs and the thread that reads exit records.
    func attach() throws(BPFError) {
        guard !programs.isAttached else { return }
        if ring == nil {
            let inbox = self.inbox
            let ring = try BPFRingBuffer(map: exits) { bytes in
                guard bytes.count >= MemoryLayout<ProcessExitRecord>.size else { return }
                inbox.append(ExitedProcess(bytes.loadUnaligned(as: ProcessExitRecord.self)))
            }
            self.ring = ring
            drain = RingBufferDrain(ring: ring, name: "smoothtask-exit", cpu: monitoringCPU, logger: logger)
        }
        try programs.attach()
    }

    /// Every live process's counts now, the CPU slice running on each CPU included, and the per-CPU
    /// accounting read with them, so a window's busy time and processes' CPU cover the same instants.
    func reading() throws(BPFError) -> ProcessCountersReading {
        let started = Clock.boottimeNanoseconds()
        // The table before the per-CPU slots, as SchedSwitchSnapshot requires.
        let spare = spareTable
        spareTable = [:]  // `spare` the only reference, so the read refills it in place
        let entries = try table.entries(keyType: UInt32.self, valueType: ProcessTableEntry.self, reusing: spare)
        defer { spareTable = entries }
        let slots = try cpuAccounting.perCPUValues(at: UInt32(0), as: CPUSwitchAccounting.self)
        let schedSwitch = SchedSwitchSnapshot(slots: slots, processNanoseconds: [:], now: Clock.monotonicNanoseconds())
        var processes = entries.mapValues(ProcessCounters.init)
        for (tgid, running) in schedSwitch.processNanoseconds {
            processes[tgid, default: ProcessCounters()].cpuNanoseconds += running
        }
        var reading = ProcessCountersReading(perProcess: processes, schedSwitch: schedSwitch, startedBoottimeNanoseconds: started)
        reading.execs = entries.mapValues(\.execs)
        return reading
    }

    /// Deletes `tgid`'s entry (one a process re-created after its exit).
    func forget(_ tgid: UInt32) {
        try? table.delete(tgid)
    }

    /// Entries the process table could not make since load (it was full), all CPUs together.
    func tableFullCount() throws(BPFError) -> UInt64 {
        try tableFull.perCPUValues(at: UInt32(0), as: UInt64.self).reduce(0, &+)
    }

    /// Every exit the kernel has sent so far, oldest first, each once.
    func takeExits() throws(BPFError) -> [ExitedProcess] {
        try ring?.consume()
        return inbox.take()
    }

    /// Exits dropped because the daemon's inbox was full (the collection stalled).
    var inboxOverflowed: UInt64 { inbox.overflowed }

    /// Exits seen and records lost, all CPUs together, since load.
    func counts() throws(BPFError) -> ProcessLifecycleTotals {
        ProcessLifecycleTotals.sum(try totals.perCPUValues(at: UInt32(0), as: ProcessLifecycleTotals.self))
    }
}
