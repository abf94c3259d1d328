import SmoothTaskProtocol
import Synchronization

/// One connection's share of the ``InputBudget``: what its ``FrameDecoder`` reserved for large
/// frames, given back as each is answered and all at once when the connection closes, so a
/// connection that dies mid-frame leaks nothing.
final class ConnectionBudget: FrameBudget {
    let freeFrameBytes = InputBudget.largeFrameBytes
    private let shared: InputBudget
    private let uid: UInt32
    private let held = Mutex(0)

    init(shared: InputBudget, uid: UInt32) {
        self.shared = shared
        self.uid = uid
    }

    func reserve(frameBytes: Int) -> Bool {
        guard shared.reserve(frameBytes, uid: uid) else { return false }
        held.withLock { $0 += frameBytes }
        return true
    }

    /// The request in a frame of `frameBytes` has been answered: its room goes back if it had any.
    func answered(frameBytes: Int) {
        guard frameBytes > freeFrameBytes else { return }
        let released = held.withLock { held in
            let released = min(held, frameBytes)
            held -= released
            return released
        }
        shared.release(released, uid: uid)
    }

    /// The connection closed: everything it still held goes back.
    func releaseAll() {
        shared.release(held.withLock { held in defer { held = 0 }; return held }, uid: uid)
    }
}
