import Synchronization

/// Memory the server lets clients fill with large request frames, shared by every connection and
/// capped per user.
///
/// A frame over ``largeFrameBytes`` is charged from the moment its header announces it until its
/// request is answered (or its connection closes); a frame that does not fit is refused before any
/// of its payload is buffered. Small frames are free: with one unanswered request per connection
/// they are bounded by the connection cap.
final class InputBudget: Sendable {
    /// Frames up to this size are not charged: every real request is far smaller.
    static let largeFrameBytes = 16 << 10

    private struct Held {
        var total = 0
        var perUser: [UInt32: Int] = [:]
    }

    let totalBytes: Int
    let perUserBytes: Int
    private let held = Mutex(Held())

    init(totalBytes: Int, perUserBytes: Int) {
        self.totalBytes = totalBytes
        self.perUserBytes = perUserBytes
    }

    /// Charges `bytes` to `uid` and returns true, or charges nothing and returns false when the
    /// shared budget, or the user's share (root has none), would be exceeded.
    func reserve(_ bytes: Int, uid: UInt32) -> Bool {
        held.withLock { held in
            let user = held.perUser[uid, default: 0]
            guard held.total + bytes <= totalBytes, uid == 0 || user + bytes <= perUserBytes else { return false }
            held.total += bytes
            held.perUser[uid] = user + bytes
            return true
        }
    }

    /// Gives back `bytes` charged to `uid`.
    func release(_ bytes: Int, uid: UInt32) {
        guard bytes > 0 else { return }
        held.withLock { held in
            held.total -= bytes
            let user = held.perUser[uid, default: bytes] - bytes
            held.perUser[uid] = user > 0 ? user : nil
        }
    }

    /// Bytes charged now, all users together.
    var charged: Int { held.withLock { $0.total } }
}
