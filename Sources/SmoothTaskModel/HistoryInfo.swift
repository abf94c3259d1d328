/// The history store as `history.info` and `status` (its `history` section) report it: where it is,
/// what it holds, how it is bounded and whether recording works.
///
/// On the wire: `{"enabled": true, "recording": true, "path": "/var/lib/smoothtask/history.sqlite",
/// "oldest_ms": 1700000000000, "newest_ms": 1700000600000, "collections": 600, "bytes": 1234567,
/// "max_bytes": 268435456, "max_age_s": 604800, "dropped": 0, "last_error": null}`.
public struct HistoryInfo: Codable, Sendable, Equatable {
    /// `enable_history`: whether the daemon records each collection.
    public var enabled: Bool
    /// True while collections are being written; false when switched off or stopped by an error.
    public var recording: Bool
    /// The store's file; `nil` when the daemon has no state directory.
    public var path: String?
    /// Unix epoch milliseconds of the oldest and newest collection held; `nil` when empty.
    public var oldestMilliseconds: Int64?
    public var newestMilliseconds: Int64?
    /// Collections held.
    public var collections: Int
    /// Bytes the store takes on disk (database and write-ahead log).
    public var bytes: Int64
    /// Retention: `history_max_bytes` and `history_max_age_s`.
    public var maxBytes: Int
    public var maxAgeSeconds: Int
    /// Collections not recorded because the writer was behind (it never blocks a collection).
    public var dropped: Int
    /// Why recording stopped or the store cannot be read (full disk, write error); `nil` when fine.
    public var lastError: String?

    /// Creates a report.
    public init(
        enabled: Bool, recording: Bool, path: String?, oldestMilliseconds: Int64?, newestMilliseconds: Int64?, collections: Int,
        bytes: Int64, maxBytes: Int, maxAgeSeconds: Int, dropped: Int = 0, lastError: String? = nil
    ) {
        self.enabled = enabled
        self.recording = recording
        self.path = path
        self.oldestMilliseconds = oldestMilliseconds
        self.newestMilliseconds = newestMilliseconds
        self.collections = collections
        self.bytes = bytes
        self.maxBytes = maxBytes
        self.maxAgeSeconds = maxAgeSeconds
        self.dropped = dropped
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case enabled, recording, path, collections, bytes, dropped
        case oldestMilliseconds = "oldest_ms"
        case newestMilliseconds = "newest_ms"
        case maxBytes = "max_bytes"
        case maxAgeSeconds = "max_age_s"
        case lastError = "last_error"
    }

    // Every key is written, `null` included, so a reader sees an empty store and no error as such.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(recording, forKey: .recording)
        try container.encode(path, forKey: .path)
        try container.encode(oldestMilliseconds, forKey: .oldestMilliseconds)
        try container.encode(newestMilliseconds, forKey: .newestMilliseconds)
        try container.encode(collections, forKey: .collections)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(maxBytes, forKey: .maxBytes)
        try container.encode(maxAgeSeconds, forKey: .maxAgeSeconds)
        try container.encode(dropped, forKey: .dropped)
        try container.encode(lastError, forKey: .lastError)
    }
}
