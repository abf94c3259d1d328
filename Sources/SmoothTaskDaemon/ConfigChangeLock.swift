import Foundation

/// Lets one configuration change run at a time, first come first served, across suspension points.
///
/// ``DaemonState`` is an actor, but actors are reentrant: while one `config.set` awaits the metrics
/// endpoint's move, another could read the same old configuration, and the two would then save and
/// enforce in either order (the file and the running configuration disagreeing) and each bind a
/// listener (one of them never closed). Holding this lock from reading the configuration to
/// enforcing the new one makes each change see the previous one's result.
final class ConfigChangeLock: @unchecked Sendable {
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var held = false
    /// Guarded by `lock`: changes waiting their turn, oldest first.
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Returns once every change that asked before has called ``release()``; pair each call with
    /// one ``release()`` (`defer`).
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mayRun = lock.withLock {
                if held {
                    waiting.append(continuation)
                    return false
                }
                held = true
                return true
            }
            if mayRun { continuation.resume() }
        }
    }

    /// Lets the next waiting change run.
    func release() {
        let next = lock.withLock {
            if waiting.isEmpty {
                held = false
                return nil as CheckedContinuation<Void, Never>?
            }
            // The lock passes straight to the next change: `held` stays true.
            return waiting.removeFirst()
        }
        next?.resume()
    }
}
