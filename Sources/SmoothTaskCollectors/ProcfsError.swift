#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A procfs file that could not be read or did not hold what it should.
public struct ProcfsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, e.g. `/proc/meminfo`.
    public var path: String
    /// What went wrong, one phrase.
    public var detail: String

    /// An error for `path` with a free-form detail.
    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    /// An error for `path` from an errno.
    public init(path: String, errno code: Int32) {
        self.init(path: path, detail: "\(String(cString: strerror(code))) (errno \(code))")
    }

    public var description: String { "\(path): \(detail)" }
}
