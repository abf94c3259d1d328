import Synchronization

/// Counts open connections against ``ServerLimits/maxConnections``; claimed at accept, released at close.
final class ConnectionSlots: Sendable {
    /// The most connections served at once.
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot and returns true, or returns false (taking nothing) when all are in use.
    func claim() -> Bool {
        let (_, claimed) = open.wrappingAdd(1, ordering: .relaxed)
        if claimed <= limit { return true }
        open.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// Gives back a slot taken by ``claim()``.
    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
