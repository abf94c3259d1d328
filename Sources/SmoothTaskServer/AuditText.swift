/// Bounds what a log line quotes from a client, so no request can make the log large.
///
/// A refused `config.set` used to log its whole params, up to a 1 MiB frame: three such requests
/// from an unprivileged user added 3 MB to the journal, enough to trip its rate limit and lose
/// the real audit lines.
public enum AuditText {
    /// Longest quoted text, in bytes of UTF-8. The largest valid `config.set` params object (every
    /// key, the longest Unix socket path `sockaddr_un` holds) is under 400 bytes, so a real change
    /// is always logged whole; anything longer is not a valid request anyway.
    public static let maxQuotedBytes = 512

    /// `text` if it fits ``maxQuotedBytes``, otherwise its first bytes (cut at a character
    /// boundary) followed by `…[N bytes]` giving the original size.
    public static func bounded(_ text: String, limit: Int = maxQuotedBytes) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var kept = Array(utf8.prefix(limit))
        // Drop a UTF-8 sequence the cut split, rather than log a replacement character.
        if utf8.count > limit, UTF8.isContinuation(utf8[utf8.index(utf8.startIndex, offsetBy: limit)]) {
            while let last = kept.last, UTF8.isContinuation(last) { kept.removeLast() }
            if !kept.isEmpty { kept.removeLast() }
        }
        return String(decoding: kept, as: UTF8.self) + "…[\(utf8.count) bytes]"
    }
}
