import SmoothTaskModel

/// Swift mirror of `struct log2_hist` in bpf/log2_hist.h: cumulative counts per log2 slot. A test
/// compares its size with the C struct's.
struct Log2HistogramSlots: BitwiseCopyable, Equatable, CumulativeCounters {
    /// Counts per slot (`LOG2_HIST_SLOTS` = ``LatencyHistogram/slotCount``).
    var slots = InlineArray<36, UInt64>(repeating: 0)
    /// Sum of every recorded value, in nanoseconds.
    var totalNanoseconds: UInt64 = 0

    static func == (lhs: Log2HistogramSlots, rhs: Log2HistogramSlots) -> Bool {
        lhs.totalNanoseconds == rhs.totalNanoseconds && lhs.slots.indices.allSatisfy { lhs.slots[$0] == rhs.slots[$0] }
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
