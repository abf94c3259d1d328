import Foundation

/// Runs blocking socket or process code on a thread of its own, off the cooperative pool the test's
/// async clients need.
enum OwnThread {
    static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
