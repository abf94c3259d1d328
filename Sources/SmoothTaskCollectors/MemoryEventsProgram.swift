import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/memory_events.bpf.c`: user page faults, reclaim stalls and OOM kills, per process
/// where it applies. Its per-process map is shared with ``ProcessLifecycleProgram``, whose exit
/// program removes processes that exited.
final class MemoryEventsProgram: MetricAreaReader {
    /// Used and total memory and the system figures come from /proc/meminfo, with or without it.
    typealias Procfs = MeminfoReading
    /// The object's name, as in `bpf/`.
    static let name = "memory_events"
    static let isEssential = true
    static let metricSwitch = MetricSwitch.memory
    static let countingArea: ProcessCountingArea? = .memory
    static let detailNames = [EbpfMetrics.Name.memoryDetails]
    /// Victims the kernel keeps (`MEMORY_EVENTS_OOM_SLOTS` in bpf/memory_events.h).
    static let oomSlots = 16

    /// Its BPF programs, attached and detached together.
    let programs: BPFLinkSet
    private let totals: BPFMap
    private let oomKills: BPFMap
    private let oomVictims: BPFMap
    /// Every counter at the end of the latest window (or at ``attach()``).
    private(set) var previous: MemoryEventsSnapshot?

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.memoryEvents.elfBytes)
        try object.load()
        programs = BPFLinkSet(programs: [
            try object.program(named: "count_user_fault"),
            try object.program(named: "direct_reclaim_begin"), try object.program(named: "direct_reclaim_end"),
            try object.program(named: "memcg_reclaim_begin"), try object.program(named: "memcg_reclaim_end"),
            try object.program(named: "record_oom_victim"),
        ])
        totals = try object.map(named: "memory_totals")
        oomKills = try object.map(named: "oom_kills")
        oomVictims = try object.map(named: "oom_victims")
    }

    /// Starts counting; counts from earlier attachments are kept, so the totals stay monotonic.
    func attach() throws(BPFError) {
        try programs.attach()
        previous = try snapshot()
    }

    /// Faults, reclaim stalls and OOM kills over the window, as the `events` of the `memory` details.
    func collect(into metrics: inout MetricsCollection, processes: ProcessCountersReading?) throws(BPFError) {
        let snapshot = try self.snapshot()
        defer { previous = snapshot }
        guard let previous else {
            Self.noteMissing("first collection: no interval yet", in: &metrics)
            return
        }
        var memory = metrics.memory ?? MemoryMetrics(system: nil, events: nil)
        memory.events = MemoryEventsReport.metrics(current: snapshot, previous: previous)
        metrics.memory = memory
    }

    /// The events are a part of the `memory` details: they say why they are missing there, and the
    /// memory figures (from /proc) stand.
    static func noteMissing(_ reason: String, in metrics: inout MetricsCollection) {
        var memory = metrics.memory ?? MemoryMetrics(system: nil, events: nil)
        memory.unavailable["events"] = reason
        metrics.memory = memory
    }

    /// Every counter, read now.
    func snapshot() throws(BPFError) -> MemoryEventsSnapshot {
        let kills = try oomKills.entries(keyType: UInt32.self, valueType: UInt64.self)[0] ?? 0
        let slots = try oomVictims.entries(keyType: UInt32.self, valueType: OOMVictimRecord.self)
        let kept = min(kills, UInt64(Self.oomSlots))
        // The newest victim sits in slot (kills - 1) % slots, the one before it one slot lower.
        let victims = (0..<kept).compactMap { age -> OOMVictimRecord? in
            let slot = UInt32((kills - 1 - age) % UInt64(Self.oomSlots))
            return slots[slot].flatMap { $0.time_ns == 0 ? nil : $0 }
        }
        return MemoryEventsSnapshot(
            totals: MemoryEventTotals.sum(try totals.perCPUValues(at: UInt32(0), as: MemoryEventTotals.self)),
            oomKills: kills,
            oomVictims: victims,
            takenAtNanoseconds: Clock.monotonicNanoseconds()
        )
    }
}
