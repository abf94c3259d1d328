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
    ///
    /// Always inlined, and comparing the last row's figures in place: most offers are turned away,
    /// and copying a row out to compare (an exit record's strings retained and released) or calling
    /// through the closure cost more than the comparison itself.
    @inline(__always)
    mutating func offer(_ value: UInt64, pid: UInt32, _ row: () -> Row) {
        guard value > 0, limit > 0 else { return }
        if rows.count == limit, !Self.ranksBefore(value, pid, rows[limit - 1].value, rows[limit - 1].pid) { return }
        insert(value, pid: pid, row())
    }

    private mutating func insert(_ value: UInt64, pid: UInt32, _ row: Row) {
        let index = rows.firstIndex { Self.ranksBefore(value, pid, $0.value, $0.pid) } ?? rows.count
        rows.insert((value, pid, row), at: index)
        if rows.count > limit { rows.removeLast() }
    }

    /// Larger figures first, ties by the smaller pid.
    private static func ranksBefore(_ value: UInt64, _ pid: UInt32, _ otherValue: UInt64, _ otherPID: UInt32) -> Bool {
        value != otherValue ? value > otherValue : pid < otherPID
    }
}
