/// Whether a process row describes a running process or one that exited.
public enum ProcessState: String, Codable, Sendable {
    /// It runs (it had /proc/PID when the collection was taken).
    case live
    /// Its last thread exited; its figures are final.
    case exited
}
