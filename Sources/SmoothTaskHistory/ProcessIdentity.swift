import SmoothTaskModel

/// What the `process` table holds once per process: who it was and, once it exited, how it ended.
struct ProcessIdentity {
    /// Tells processes apart: a pid is reused, not with the same start time.
    struct Key: Hashable {
        var pid: Int32
        var startMilliseconds: Int64
    }

    var key: Key
    var comm: String?
    var uid: UInt32?
    var command: String?
    var exit: ProcessExitFields?
}
