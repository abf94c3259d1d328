/// How often one syscall failed with one errno over the last interval.
public struct SyscallFailureCount: Codable, Sendable, Equatable {
    /// The syscall number on the daemon's architecture.
    public var id: UInt32
    /// Its name from the kernel headers; `nil` for a number the table does not know.
    public var name: String?
    /// The errno it returned (positive), e.g. 2.
    public var errno: UInt32
    /// The errno's name from the kernel headers, e.g. `ENOENT`.
    public var errnoName: String?
    /// Failures during the interval.
    public var count: UInt64

    /// Creates a failure count.
    public init(id: UInt32, name: String?, errno: UInt32, errnoName: String?, count: UInt64) {
        self.id = id
        self.name = name
        self.errno = errno
        self.errnoName = errnoName
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case id, name, errno, count
        case errnoName = "errno_name"
    }
}
