import CSmoothTaskBPFTypes
import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/process_lifecycle.bpf.c`: command lines captured at exec, and at each process
/// exit its final totals from every per-process map, read from a ring buffer into ``inbox``.
///
/// It creates the per-process maps (bpf/process_maps.h) that the metric objects then share
/// (``sharedMaps``, through ``ProgramLoader``), so it is loaded first, and it reads them all for the
/// per-process totals (``reading()``).
final class ProcessLifecycleProgram: KernelProgram {
    static let name = "process_lifecycle"

    /// Its BPF programs (exec and exit).
    let programs: BPFLinkSet
    /// The per-process maps (and cpu_metrics' per-CPU accounting), to reuse in every other object.
    let sharedMaps: [BPFMap]
    /// Exited processes read from the ring buffer and not yet taken.
    private let inbox = ExitInbox()
    private var ring: BPFRingBuffer?

    private let cpuAccounting: BPFMap
    private let cpuTimes: BPFMap
    private let syscalls: BPFMap
    private let memory: BPFMap
    private let disk: BPFMap
    private let network: BPFMap
    private let runQueueWaits: BPFMap
    private let totals: BPFMap
    private let exits: BPFMap
    private let logger: Logger
    private var drain: RingBufferDrain?

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        logger = loader.logger
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.processLifecycle.elfBytes)
        try object.load()
        programs = BPFLinkSet(programs: [try object.program(named: "record_exec"), try object.program(named: "record_exit")])
        cpuAccounting = try object.map(named: "cpu_accounting")
        cpuTimes = try object.map(named: "process_cpu_ns")
        syscalls = try object.map(named: "process_syscalls")
        memory = try object.map(named: "process_memory")
        disk = try object.map(named: "disk_processes")
        network = try object.map(named: "network_processes")
        runQueueWaits = try object.map(named: "process_waits")
        totals = try object.map(named: "lifecycle_totals")
        exits = try object.map(named: "exits")
        sharedMaps = [cpuAccounting, cpuTimes, syscalls, memory, disk, network, runQueueWaits]
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
            drain = RingBufferDrain(ring: ring, name: "smoothtask-exit", logger: logger)
        }
        try programs.attach()
    }

    /// Every live process's counts now, the CPU slice running on each CPU included: read in one
    /// place so the columns of one process come from one instant.
    func reading() throws(BPFError) -> ProcessCountersReading {
        let started = Clock.boottimeNanoseconds()
        // The process map before the per-CPU slots, as SchedSwitchSnapshot requires.
        let cpuNanoseconds = try cpuTimes.entries(keyType: UInt32.self, valueType: UInt64.self)
        let slots = try cpuAccounting.perCPUValues(at: UInt32(0), as: CPUSwitchAccounting.self)
        let now = Clock.monotonicNanoseconds()
        let schedSwitch = SchedSwitchSnapshot(slots: slots, processNanoseconds: cpuNanoseconds, now: now)
        var processes: [UInt32: ProcessCounters] = [:]
        for (tgid, nanoseconds) in schedSwitch.processNanoseconds {
            processes[tgid, default: ProcessCounters()].cpuNanoseconds = nanoseconds
        }
        for (tgid, counts) in try syscalls.entries(keyType: UInt32.self, valueType: ProcessSyscallCounts.self) {
            processes[tgid, default: ProcessCounters()].syscalls = counts.calls
            processes[tgid, default: ProcessCounters()].failedSyscalls = counts.failures
        }
        for (tgid, events) in try memory.entries(keyType: UInt32.self, valueType: ProcessMemoryEvents.self) {
            processes[tgid, default: ProcessCounters()].userFaults = events.user_faults
            processes[tgid, default: ProcessCounters()].reclaimStalls = events.reclaim_stalls
            processes[tgid, default: ProcessCounters()].reclaimNanoseconds = events.reclaim_ns
        }
        for (tgid, bytes) in try disk.entries(keyType: UInt32.self, valueType: DiskProcessCounters.self) {
            processes[tgid, default: ProcessCounters()].diskReadBytes = bytes.read_bytes
            processes[tgid, default: ProcessCounters()].diskWriteBytes = bytes.write_bytes
        }
        for (tgid, traffic) in try network.entries(keyType: UInt32.self, valueType: NetworkProcessCounters.self) {
            processes[tgid, default: ProcessCounters()].netSentBytes = traffic.sent_bytes
            processes[tgid, default: ProcessCounters()].netReceivedBytes = traffic.received_bytes
            processes[tgid, default: ProcessCounters()].netSendCalls = traffic.send_calls
            processes[tgid, default: ProcessCounters()].netReceiveCalls = traffic.receive_calls
        }
        for (tgid, waits) in try runQueueWaits.entries(keyType: UInt32.self, valueType: log2_hist.self) {
            processes[tgid, default: ProcessCounters()].runQueueWaitNanoseconds = waits.total_ns
        }
        return ProcessCountersReading(perProcess: processes, schedSwitch: schedSwitch, startedBoottimeNanoseconds: started)
    }

    /// Deletes `tgid` from the per-process maps where `counters` says it has an entry (what a
    /// process re-created after its exit): one syscall per entry, none for the maps it never reached.
    func forget(_ tgid: UInt32, holding counters: ProcessCounters) {
        let holding: [(BPFMap, Bool)] = [
            (cpuTimes, true), (syscalls, counters.syscalls > 0), (memory, counters.userFaults > 0 || counters.reclaimStalls > 0),
            (disk, counters.diskReadBytes > 0 || counters.diskWriteBytes > 0),
            (network, counters.netSentBytes > 0 || counters.netReceivedBytes > 0), (runQueueWaits, counters.runQueueWaitNanoseconds > 0),
        ]
        for (map, holds) in holding where holds { try? map.delete(tgid) }
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
