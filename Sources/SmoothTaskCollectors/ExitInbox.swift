import Synchronization

/// Exit records read from the kernel and not yet taken by a collection: filled by the ring buffer's
/// drain thread, emptied by every tick.
final class ExitInbox: Sendable {
    /// Records held between two collections at most: a minute of a 1,000-exits-a-second storm with
    /// the collection stalled. Beyond it records are counted in ``overflowed`` and dropped, so memory
    /// stays bounded whatever the exit rate.
    static let capacity = 60_000

    private struct State {
        var records: [ExitedProcess] = []
        var overflowed: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Adds a record the kernel sent.
    func append(_ process: ExitedProcess) {
        state.withLock { state in
            guard state.records.count < Self.capacity else {
                state.overflowed += 1
                return
            }
            state.records.append(process)
        }
    }

    /// Every record added since the previous call, oldest first.
    func take() -> [ExitedProcess] {
        state.withLock { state in
            defer { state.records = [] }
            return state.records
        }
    }

    /// Records dropped because the inbox was full.
    var overflowed: UInt64 { state.withLock { $0.overflowed } }
}
