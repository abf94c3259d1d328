/// A log2 histogram of durations, as the kernel programs keep them, with the percentiles computed
/// from it: the run-queue wait of `sched_latency` and the I/O latency of `disk`.
///
/// Slot 0 holds 0 and 1 ns, slot *i* ≥ 1 holds [2^*i*, 2^(*i*+1)) ns, and the last slot everything
/// from 2^(``slotCount`` - 1) ns on. A percentile is interpolated linearly inside the slot that holds
/// it, so it is exact to within that slot: never off by more than a factor of 2.
///
/// On the wire: `{"count", "sum_ns", "mean_ns", "p50_ns", "p95_ns", "p99_ns", "max_ns", "buckets":
/// [{"from_ns", "to_ns", "count"}]}` with only non-empty buckets; the percentiles are derived and
/// recomputed from the buckets when decoding.
public struct LatencyHistogram: Codable, Sendable, Equatable {
    /// Slots of the kernel's `struct log2_hist` (bpf/log2_hist.h, `LOG2_HIST_SLOTS`): up to 2^35 ns = 34 s.
    public static let slotCount = 36

    /// How many durations fell in each slot, indexed by slot; always ``slotCount`` long.
    public private(set) var slotCounts: [UInt64]
    /// Sum of every recorded duration, in nanoseconds.
    public var sumNanoseconds: UInt64
    /// The longest duration, in nanoseconds, when it was measured exactly; `nil` when only the
    /// histogram is known.
    public var maxNanoseconds: UInt64?
    /// An upper bound on every duration known from elsewhere, in nanoseconds, when the exact maximum
    /// is not: a process's waits are among the system's, so the system-wide maximum bounds them.
    /// Percentiles never exceed it (interpolating inside a log2 slot otherwise can). Not on the wire;
    /// ``SchedLatencyMetrics`` sets it again when decoding.
    public var ceilingNanoseconds: UInt64?

    /// Creates a histogram from slot counts (missing slots count 0, extra ones join the last slot).
    public init(slotCounts: [UInt64], sumNanoseconds: UInt64, maxNanoseconds: UInt64? = nil) {
        var counts = Array(slotCounts.prefix(Self.slotCount))
        counts += [UInt64](repeating: 0, count: Self.slotCount - counts.count)
        counts[Self.slotCount - 1] += slotCounts.dropFirst(Self.slotCount).reduce(0, +)
        self.slotCounts = counts
        self.sumNanoseconds = sumNanoseconds
        self.maxNanoseconds = maxNanoseconds
    }

    /// The slot a duration falls in, exactly as the kernel programs choose it.
    public static func slot(forNanoseconds nanoseconds: UInt64) -> Int {
        nanoseconds < 2 ? 0 : min(63 - nanoseconds.leadingZeroBitCount, slotCount - 1)
    }

    /// The smallest duration in nanoseconds slot `slot` holds.
    public static func lowerBound(ofSlot slot: Int) -> UInt64 { slot == 0 ? 0 : 1 << UInt64(slot) }

    /// The first duration in nanoseconds past slot `slot`, or `nil` for the open-ended last slot.
    public static func upperBound(ofSlot slot: Int) -> UInt64? { slot == slotCount - 1 ? nil : 1 << UInt64(slot + 1) }

    /// How many durations were recorded.
    public var count: UInt64 { slotCounts.reduce(0, +) }

    /// The mean duration in nanoseconds, or `nil` when nothing was recorded.
    public var meanNanoseconds: UInt64? { count == 0 ? nil : sumNanoseconds / count }

    /// The duration in nanoseconds that `fraction` (0...1) of the recorded ones do not exceed, or
    /// `nil` when nothing was recorded. Interpolated inside its slot and never above
    /// ``maxNanoseconds`` or ``ceilingNanoseconds``.
    public func percentile(_ fraction: Double) -> UInt64? {
        let total = count
        guard total > 0 else { return nil }
        let rank = max(1, min(total, UInt64((fraction * Double(total)).rounded(.up))))
        var below: UInt64 = 0
        for (slot, inSlot) in slotCounts.enumerated() where inSlot > 0 {
            guard below + inSlot >= rank else {
                below += inSlot
                continue
            }
            let lower = Self.lowerBound(ofSlot: slot)
            // The open-ended last slot ends at the measured maximum, or is taken to span one doubling.
            let upper = Self.upperBound(ofSlot: slot) ?? max(maxNanoseconds ?? 0, lower * 2)
            let within = Double(rank - below) / Double(inSlot)
            let estimate = UInt64((Double(lower) + Double(upper - lower) * within).rounded())
            return [maxNanoseconds, ceilingNanoseconds].compactMap { $0 }.reduce(estimate) { min($0, $1) }
        }
        return nil
    }

    /// Counts recorded since `earlier`, a reading of the same cumulative histogram; a slot that went
    /// down (the histogram was reset) counts from zero. ``maxNanoseconds`` is kept from `self`.
    public func subtracting(_ earlier: LatencyHistogram) -> LatencyHistogram {
        LatencyHistogram(
            slotCounts: zip(slotCounts, earlier.slotCounts).map { $0 >= $1 ? $0 - $1 : $0 },
            sumNanoseconds: sumNanoseconds >= earlier.sumNanoseconds ? sumNanoseconds - earlier.sumNanoseconds : sumNanoseconds,
            maxNanoseconds: maxNanoseconds
        )
    }

    /// Both histograms' counts together; the larger known maximum.
    public func adding(_ other: LatencyHistogram) -> LatencyHistogram {
        LatencyHistogram(
            slotCounts: zip(slotCounts, other.slotCounts).map(+),
            sumNanoseconds: sumNanoseconds + other.sumNanoseconds,
            maxNanoseconds: [maxNanoseconds, other.maxNanoseconds].compactMap { $0 }.max()
        )
    }

    /// An empty histogram.
    public static let empty = LatencyHistogram(slotCounts: [], sumNanoseconds: 0)

    enum CodingKeys: String, CodingKey {
        case count, buckets
        case sumNanoseconds = "sum_ns"
        case meanNanoseconds = "mean_ns"
        case p50 = "p50_ns"
        case p95 = "p95_ns"
        case p99 = "p99_ns"
        case maxNanoseconds = "max_ns"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var counts = [UInt64](repeating: 0, count: Self.slotCount)
        for bucket in try container.decode([LatencyBucket].self, forKey: .buckets) {
            counts[Self.slot(forNanoseconds: bucket.fromNanoseconds)] += bucket.count
        }
        self.init(
            slotCounts: counts,
            sumNanoseconds: try container.decode(UInt64.self, forKey: .sumNanoseconds),
            maxNanoseconds: try container.decodeIfPresent(UInt64.self, forKey: .maxNanoseconds)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(sumNanoseconds, forKey: .sumNanoseconds)
        try container.encode(meanNanoseconds, forKey: .meanNanoseconds)
        try container.encode(percentile(0.50), forKey: .p50)
        try container.encode(percentile(0.95), forKey: .p95)
        try container.encode(percentile(0.99), forKey: .p99)
        try container.encode(maxNanoseconds, forKey: .maxNanoseconds)
        let buckets = slotCounts.enumerated().filter { $0.element > 0 }.map { slot, count in
            LatencyBucket(
                fromNanoseconds: Self.lowerBound(ofSlot: slot), toNanoseconds: Self.upperBound(ofSlot: slot), count: count
            )
        }
        try container.encode(buckets, forKey: .buckets)
    }
}
