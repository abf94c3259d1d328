#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds on the size and shape of a request's JSON, checked in one linear pass over the raw bytes
/// before any JSON decoding, so what a frame can cost to decode is small and bounded whatever its
/// contents.
///
/// Foundation's `JSONDecoder` (into ``JSONValue``) is not linear in its input: a 1 MiB `[{},{},...]`
/// took about 1.3 s of CPU, and its cost grows with the square of the nesting depth (32 KiB of arrays
/// nested 400 deep took 21 s). A depth cap alone does not bound it, so the total number of elements is
/// capped too. Even linear costs add up at 1 MiB (a string of 1 MiB of `\"` escapes took 39 ms to
/// decode; four clients sending it kept the shared pool busy and another client's p99 went to
/// 700 ms), so the payload decoded is capped well below the 1 MiB frame limit, which also bounds
/// replies. All caps sit far above any real request: a request is one flat object whose `params`
/// is one more level, a few hundred bytes with at most a few dozen members.
///
/// The scan is string-aware: brackets and commas inside strings do not count, and `\"` does not end a
/// string. A payload the scan finds malformed (unbalanced brackets, an unterminated string) is left
/// to the decoder, which rejects it with `-32700` after reading no more than the prefix the scan
/// already found within bounds.
public enum JSONStructureLimit {
    /// The largest request payload decoded, 64 KiB. The largest real request (`config.set` with every
    /// key) is under 1 KiB; the costliest 64 KiB payload (one string of escapes) decodes in about
    /// 2 ms of CPU in a debug build. Frames stay up to ``ProtocolConstants/maxPayloadBytes`` (1 MiB), the bound for replies.
    public static let maxRequestBytes = 64 << 10
    /// The deepest nesting of arrays and objects accepted, 16 levels. Requests use 2 (the request
    /// object and its `params`); 16 leaves room for structured params without letting the decoder's
    /// depth-squared cost matter.
    public static let maxDepth = 16
    /// The most elements (array values and object members, counted over the whole payload) accepted,
    /// 1,024. The largest request (`config.set` with every key) has about 20; 1,024 decode in about
    /// 4 ms of CPU in a debug build (7 ms nested 16 deep), the costliest payloads still accepted.
    public static let maxElements = 1_024

    /// Throws the rejection a payload over any limit earns: `-32600` naming the limit, with id
    /// `null` (the id is not read from a payload that is not decoded). Returns for every other
    /// payload, including malformed ones, which the decoder then rejects.
    public static func check(_ payload: some Collection<UInt8>) throws(RejectedRequest) {
        let error =
            payload.withContiguousStorageIfAvailable(violation(in:))
            ?? Array(payload).withUnsafeBufferPointer(violation(in:))
        if let error { throw RejectedRequest(id: .null, error: error) }
    }

    /// The error for `bytes` if they break a limit, `nil` otherwise. Each byte is read at most twice
    /// (once by `memchr` inside strings with escapes), and compared with literals only, so this stays
    /// fast even unoptimized (see PROTOCOL.md, Limits, for the figures).
    static func violation(in bytes: UnsafeBufferPointer<UInt8>) -> RPCError? {
        guard bytes.count <= maxRequestBytes else { return tooLarge }
        guard var cursor = bytes.baseAddress else { return nil }
        let end = cursor + bytes.count
        var depth = 0
        // Bit d is set when the container opened at depth d (1...maxDepth) is an object.
        var objectAtDepth: UInt32 = 0
        var elements = 0
        // Just after `[` or `{`: the next non-blank byte starts the first element unless it closes.
        var awaitingFirst = false
        while cursor < end {
            let byte = cursor.pointee
            cursor += 1
            // Literals, not named constants: a static let costs a call per use in a debug build.
            // 0x20 space, 0x09 tab, 0x0A line feed, 0x0D carriage return.
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if awaitingFirst {
                awaitingFirst = false
                // 0x5D `]`, 0x7D `}`: an empty container has no element.
                if byte != 0x5D, byte != 0x7D {
                    elements += 1
                    if elements > maxElements { return tooManyElements }
                }
            }
            switch byte {
            case 0x22:  // `"`
                guard let closing = closingQuote(from: cursor, end: end) else { return nil }
                cursor = closing + 1
            case 0x5B, 0x7B:  // `[`, `{`
                depth += 1
                if depth > maxDepth { return tooDeep }
                if byte == 0x7B {
                    objectAtDepth |= 1 << depth
                } else {
                    objectAtDepth &= ~(1 << depth)
                }
                awaitingFirst = true
            case 0x5D, 0x7D:  // `]`, `}`
                let closesObject = objectAtDepth & (1 << depth) != 0
                // Unbalanced or mismatched: malformed, and the decoder stops here too.
                guard depth > 0, closesObject == (byte == 0x7D) else { return nil }
                depth -= 1
            case 0x2C where depth > 0:  // `,`
                elements += 1
                if elements > maxElements { return tooManyElements }
            default:
                continue
            }
        }
        return nil
    }

    /// The quote that ends the string whose contents start at `start`, or `nil` if it never ends.
    ///
    /// `memchr` finds the next quote; when no backslash comes before it (the usual case) that is the
    /// end. Otherwise the bytes are walked one by one from the first backslash, each backslash
    /// skipping the byte after it.
    private static func closingQuote(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard let quote = memchr(start, 0x22, end - start) else { return nil }
        let firstQuote = UnsafePointer(quote.assumingMemoryBound(to: UInt8.self))
        guard let backslash = memchr(start, 0x5C, firstQuote - start) else { return firstQuote }
        var cursor = UnsafePointer(backslash.assumingMemoryBound(to: UInt8.self))
        while cursor < end {
            let byte = cursor.pointee
            if byte == 0x22 { return cursor }  // `"`
            cursor += byte == 0x5C ? 2 : 1  // `\` escapes the next byte
        }
        return nil
    }

    private static let tooLarge = RPCError(
        .invalidRequest,
        "request larger than \(maxRequestBytes) bytes; a request is a few hundred bytes"
    )
    private static let tooDeep = RPCError(
        .invalidRequest,
        "JSON nested deeper than \(maxDepth) levels; a request is one flat object with its params"
    )
    private static let tooManyElements = RPCError(
        .invalidRequest,
        "JSON with more than \(maxElements) array values and object members; a request has a few dozen"
    )
}
