#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Standard output or error, written unbuffered straight to the descriptor: C's `stdout`/`stderr`
/// globals are not concurrency-safe in Swift 6, and `FileHandle` belongs to full Foundation, which the
/// client does not load.
enum StandardStream: Int32 {
    case output = 1
    case error = 2

    /// Writes all of `text`; a reader that went away (EPIPE) or any other error ends the write, since
    /// there is nowhere left to say so.
    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(rawValue, buffer.baseAddress, buffer.count)
                #else
                Musl.write(rawValue, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
