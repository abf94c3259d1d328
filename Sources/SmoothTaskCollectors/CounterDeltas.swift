/// Per-key increase of cumulative kernel counters between two readings.
enum CounterDeltas {
    /// How much each key of `current` grew since `previous`; keys that did not grow are left out.
    /// A value smaller than before belongs to a new entry (the process exited and its pid was
    /// reused, or the entry was recreated), so all of it is new.
    static func between<Key: Hashable>(_ current: [Key: UInt64], _ previous: [Key: UInt64]) -> [Key: UInt64] {
        var deltas: [Key: UInt64] = [:]
        for (key, total) in current {
            let before = previous[key] ?? 0
            let delta = total >= before ? total - before : total
            if delta > 0 { deltas[key] = delta }
        }
        return deltas
    }

    /// The `limit` largest values, largest first, ties broken by the smaller key.
    static func largest<Key: Comparable>(_ values: [Key: UInt64], limit: Int) -> [(key: Key, value: UInt64)] {
        values.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit)
            .map { ($0.key, $0.value) }
    }
}
