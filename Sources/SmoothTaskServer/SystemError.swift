#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// errno values as text, and the errno inside NIO's errors.
enum SystemError {
    /// `strerror(code)`, e.g. `No such file or directory`.
    static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The errno an error carries, if it is one of NIO's system-call errors.
    static func code(of error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.lazy.compactMap { code(of: $0.error) }.first
        }
        return nil
    }

    /// The errno's text when the error carries one, else the error as Swift prints it.
    static func text(of error: any Error) -> String {
        code(of: error).map(text) ?? "\(error)"
    }
}
