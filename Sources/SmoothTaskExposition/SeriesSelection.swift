/// Bounded, stable series for a labelled counter whose keys are many or come and go (syscall
/// names, errnos, cgroups): the `limit` keys with the highest counts get a series of their own,
/// everything else adds to one `other` series.
///
/// Every series is monotonic while the daemon runs: each key's series is the sum of its increases
/// since the daemon first read it (a reading lower than the previous one is a restarted kernel
/// counter and counts whole), a key keeps its series once it has one (so a counter never vanishes
/// or jumps between series), and `other` adds only the increases of keys without a series at the
/// time. A key that gets a series carries its whole count since the daemon started, so for a
/// while the series together can exceed the keys' real total by what `other` already counted of it.
public struct SeriesSelection: Sendable, Equatable {
    /// At most this many times `limit` keys ever get a series: the series of keys that stopped
    /// counting stay, so churn (cgroups of short-lived containers) must not grow them without end.
    public static let retainedSeriesFactor = 4
    /// A key that never gets a series of its own (a cgroup without a name): empty label values are
    /// not allowed, and it has no stable identity.
    public static let unnamedKey = ""

    /// The latest reading per key, for ``advance(toTotals:limit:)``.
    private var previous: [String: UInt64] = [:]
    /// Increases since first read, for keys still present and every key with a series.
    private var accumulated: [String: UInt64] = [:]
    /// Keys with a series of their own.
    public private(set) var listed: Set<String> = []
    /// Increases of keys without a series when they happened.
    public private(set) var other: UInt64 = 0

    /// An empty selection.
    public init() {}

    /// Takes the next reading of every key's cumulative count (a kernel counter since load) and
    /// adds what each grew since the previous reading; see ``advance(adding:limit:)``.
    public mutating func advance(toTotals totals: [String: UInt64], limit: Int) {
        var increases: [String: UInt64] = [:]
        for (key, total) in totals {
            let before = previous[key] ?? 0
            increases[key] = total >= before ? total - before : total
        }
        previous = totals
        advance(adding: increases, limit: limit)
    }

    /// Adds one collection's increase of every key still counted (keys left out are gone), and
    /// gives the top `limit` keys by count a series if they have none yet, while fewer than
    /// `limit` × ``retainedSeriesFactor`` have one.
    public mutating func advance(adding increases: [String: UInt64], limit: Int) {
        for (key, increase) in increases { accumulated[key, default: 0] += increase }
        let capacity = max(0, limit) * Self.retainedSeriesFactor
        if limit > 0, listed.count < capacity {
            let top = accumulated.filter { $0.key != Self.unnamedKey && $0.value > 0 }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(limit)
            for (key, _) in top where listed.count < capacity { listed.insert(key) }
        }
        for (key, increase) in increases where !listed.contains(key) { other += increase }
        accumulated = accumulated.filter { increases[$0.key] != nil || listed.contains($0.key) }
    }

    /// Each listed key's count since the daemon first read it, ordered by key.
    public var series: [(key: String, count: UInt64)] {
        listed.sorted().map { ($0, accumulated[$0] ?? 0) }
    }
}
