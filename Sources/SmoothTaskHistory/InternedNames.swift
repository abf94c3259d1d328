import GRDB

/// The `name` table (schema 5): every distinct string a process row names (its `comm`, its
/// command line, the `since` of its totals) stored once and referred to by a small integer id.
/// A command line averaged ~108 bytes and was written again with each process that ran it (a
/// shell loop, a cron job, a build's compilers): under churn, most of the `process` table.
///
/// Strings are found again by a stable 64-bit hash (FNV-1a over the UTF-8 bytes), indexed, then
/// compared in full, so a collision costs one more row, never a wrong name. The writer keeps the
/// ids it has used in memory so a known string costs no query.
struct InternedNames {
    /// Ids cached at most (a bound on memory with many distinct command lines); past it the cache
    /// starts again and each string is looked up once more.
    static let maximumCached = 100_000

    private var ids: [String: Int64] = [:]

    /// FNV-1a, 64 bits, over `text`'s UTF-8: stable across runs and builds (Swift's `Hasher` is
    /// seeded per process), so a store written by one daemon is read and extended by the next.
    static func hash(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// The id of `text` in the `name` table, inserting it when it is not there; `nil` for `nil`.
    /// Runs inside the writer's transaction.
    mutating func id(of text: String?, in db: Database) throws -> Int64? {
        guard let text else { return nil }
        if let id = ids[text] { return id }
        let hash = Self.hash(text)
        let find = try db.cachedStatement(sql: "SELECT id FROM name WHERE hash = ? AND text = ?")
        let id: Int64
        if let found = try Int64.fetchOne(find, arguments: [hash, text]) {
            id = found
        } else {
            try db.cachedStatement(sql: "INSERT INTO name (hash, text) VALUES (?, ?)").execute(arguments: [hash, text])
            id = db.lastInsertedRowID
        }
        if ids.count >= Self.maximumCached { ids = [:] }
        ids[text] = id
        return id
    }

    /// Drops the cached ids: after retention deleted names, or a write that was rolled back.
    mutating func forget() {
        ids = [:]
    }
}
