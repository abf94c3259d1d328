import Synchronization

/// A result encoded once for callers who see every process, readable from any thread without the
/// ``DaemonState`` actor: the socket server answers a plain `metrics.get` or `status` from it on the
/// event loop (the latest collection's JSON; an ``EncodedStatus``).
///
/// Filled in the actor by the first request after each change (which encodes it once), or by the
/// collection itself when the previous value was asked for, and emptied by the next change, also
/// inside the actor, so it never holds bytes older than what it describes. Only ``DaemonState``
/// reads it, through the visibility step.
final class ReadyReply<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value?, asked: Bool)>((nil, false))

    /// The value, or `nil` when nothing is encoded since the last change. Reading it is a request
    /// asking for it.
    var current: Value? {
        state.withLock { state in
            if state.value != nil { state.asked = true }
            return state.value
        }
    }

    /// Whether a request made or read the value since it was published: one who polls asks again
    /// after the next change, which is then worth encoding before anyone asks. A value encoded ahead
    /// that nobody read stops the encoding ahead.
    var wasAsked: Bool { state.withLock { $0.asked } }

    /// Holds `encoded` as the latest; `asked` when a request made it.
    func publish(_ encoded: Value, asked: Bool) {
        state.withLock { $0 = (encoded, asked) }
    }

    /// What it described has changed: nothing is ready until the new state is encoded.
    func clear() {
        state.withLock { $0 = (nil, false) }
    }
}
