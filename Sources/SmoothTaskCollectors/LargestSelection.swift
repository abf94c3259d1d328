/// The `limit` rows with the largest figures offered to it (above 0), largest first, ties by the
/// smaller pid: a selection in one pass, since the lists are 5 rows long while a window can hold
/// 10,000 active processes, and sorting them all (or building a row for each) was a large part of
/// a collection tick.
struct LargestSelection<Row> {
    /// How many rows it keeps.
    let limit: Int
    /// The rows kept so far, largest first.
    private(set) var rows: [(value: UInt64, pid: UInt32, row: Row)] = []

    init(limit: Int) {
        self.limit = limit
        rows.reserveCapacity(limit + 1)
    }

    /// Offers a row; `row` is made only when the row is kept (at least until a larger one comes).
    mutating func offer(_ value: UInt64, pid: UInt32, _ row: () -> Row) {
        guard value > 0, limit > 0 else { return }
        func before(_ value: UInt64, _ pid: UInt32, _ other: (value: UInt64, pid: UInt32, row: Row)) -> Bool {
            value != other.value ? value > other.value : pid < other.pid
        }
        if rows.count == limit, let last = rows.last, !before(value, pid, last) { return }
        let index = rows.firstIndex { before(value, pid, $0) } ?? rows.count
        rows.insert((value, pid, row()), at: index)
        if rows.count > limit { rows.removeLast() }
    }
}
