/// Why the history could not be written or read, with what to do about it.
public enum HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state directory or the store cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// A write failed (full disk, I/O error): recording stops.
    case writeFailed(String)
    /// A recorded value does not decode.
    case corrupt(String)
    /// A query the history cannot answer (no store, bad range).
    case unavailable(String)
    /// A value the compact encoding cannot hold (``CompactEncoder``): the writer stores it as JSON instead.
    case notEncodable(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the history store \(path): \(reason) (check --state-dir: it must be a directory smoothtaskd can write)"
        case .writeFailed(let reason):
            "recording stopped: \(reason) (free disk space or lower history_max_bytes, then set enable_history again or restart smoothtaskd)"
        case .corrupt(let reason):
            "the history store holds a damaged record: \(reason)"
        case .unavailable(let reason):
            reason
        case .notEncodable(let reason):
            "cannot be written in the compact encoding: \(reason)"
        }
    }
}
