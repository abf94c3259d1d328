/// The tree view: each process under its parent, siblings in the chosen order.
enum TopTree {
    /// `rows` arranged depth-first by ``TopRow/parent``, each with its ``TopRow/depth``. A row
    /// whose parent is not among `rows` (filtered out, idle in the window, or unknown) is a root;
    /// a cycle (pid reuse) cannot loop, since each row is placed once.
    static func arrange(_ rows: [TopRow], by column: TopColumn) -> [TopRow] {
        let present = Set(rows.map(\.pid))
        var children: [Int32: [TopRow]] = [:]
        var roots: [TopRow] = []
        for row in rows {
            if let parent = row.parent, parent != row.pid, present.contains(parent) {
                children[parent, default: []].append(row)
            } else {
                roots.append(row)
            }
        }
        var arranged: [TopRow] = []
        arranged.reserveCapacity(rows.count)
        var placed = Set<Int32>()
        func place(_ row: TopRow, depth: Int) {
            guard placed.insert(row.pid).inserted else { return }
            var row = row
            row.depth = depth
            arranged.append(row)
            for child in (children[row.pid] ?? []).sorted(by: column.precedes) { place(child, depth: depth + 1) }
        }
        for root in roots.sorted(by: column.precedes) { place(root, depth: 0) }
        // Rows only reachable through a cycle: shown as roots rather than lost.
        for row in rows.sorted(by: column.precedes) where !placed.contains(row.pid) { place(row, depth: 0) }
        return arranged
    }
}
