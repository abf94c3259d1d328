import Synchronization

/// Counts open connections against a cap, for listeners that admit by number alone (the metrics endpoint).
final class ConnectionCounter: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a place and returns true, or returns false (taking nothing) when all are in use.
    func claim() -> Bool {
        let (_, now) = open.wrappingAdd(1, ordering: .relaxed)
        if now <= limit { return true }
        open.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// Gives back a place taken by ``claim()``.
    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
