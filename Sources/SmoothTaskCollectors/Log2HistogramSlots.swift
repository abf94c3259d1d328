import CSmoothTaskBPFTypes
import SmoothTaskModel

/// A `struct log2_hist` (bpf/log2_hist.h) with its slots as an `InlineArray` rather than the 36-tuple
/// C arrays import as: the same bytes (StructLayoutTests checks size and offsets against the C
/// header and the programs' BTF), read straight from the maps or converted from the C type.
struct Log2HistogramSlots: BitwiseCopyable, Equatable, CumulativeCounters {
    /// Counts per slot (`LOG2_HIST_SLOTS` = ``LatencyHistogram/slotCount``).
    var slots = InlineArray<36, UInt64>(repeating: 0)
    /// Sum of every recorded value, in nanoseconds.
    var totalNanoseconds: UInt64 = 0

    init() {}

    /// The same counts as the C struct, e.g. the `latency` field of a ``DiskDeviceCounters``.
    init(_ raw: log2_hist) {
        self = unsafeBitCast(raw, to: Log2HistogramSlots.self)
    }

    /// These counts as the C struct.
    var raw: log2_hist { unsafeBitCast(self, to: log2_hist.self) }

    static func == (lhs: Log2HistogramSlots, rhs: Log2HistogramSlots) -> Bool {
        lhs.hasSameCounts(as: rhs)
    }

    /// Both readings' counts together, e.g. two CPUs' slots of a per-CPU map.
    func adding(_ other: Log2HistogramSlots) -> Log2HistogramSlots {
        var sum = self
        for slot in slots.indices { sum.slots[slot] &+= other.slots[slot] }
        sum.totalNanoseconds &+= other.totalNanoseconds
        return sum
    }

    func subtracting(_ earlier: Log2HistogramSlots) -> Log2HistogramSlots {
        var delta = self
        for slot in slots.indices { delta.slots[slot] = slots[slot].sinceRestartable(earlier.slots[slot]) }
        delta.totalNanoseconds = totalNanoseconds.sinceRestartable(earlier.totalNanoseconds)
        return delta
    }

    /// The wire histogram of these counts.
    func histogram(maxNanoseconds: UInt64? = nil) -> LatencyHistogram {
        LatencyHistogram(
            slotCounts: slots.indices.map { slots[$0] }, sumNanoseconds: totalNanoseconds, maxNanoseconds: maxNanoseconds
        )
    }
}
