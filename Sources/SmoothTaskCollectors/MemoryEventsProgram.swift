import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/memory_events.bpf.c`: user page faults, reclaim stalls and OOM kills, per process
/// where it applies. Its per-process map is shared with ``ProcessLifecycleProgram``, whose exit
/// program removes processes that exited.
final class MemoryEventsProgram: MetricProgram {
    /// The object's name, as in `bpf/`.
    static let name = "memory_events"
    static let metricSwitch = MetricSwitch.memory
    /// Victims the kernel keeps (`MEMORY_EVENTS_OOM_SLOTS` in bpf/memory_events.h).
    static let oomSlots = 16

    /// Its BPF programs, attached and detached together.
    let programs: BPFLinkSet
    private let totals: BPFMap
    private let oomKills: BPFMap
    private let oomVictims: BPFMap

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
