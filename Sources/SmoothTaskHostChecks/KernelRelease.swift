#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The running kernel's release, as `uname -r` prints it.
public struct KernelRelease: Sendable, Equatable {
    /// E.g. `6.18.44-fc-v669`.
    public var text: String

    /// A release as `uname -r` prints it.
    public init(text: String) {
        self.text = text
    }

    /// The running kernel's release.
    public static var current: KernelRelease {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return KernelRelease(text: release)
    }

    /// Major and minor version, e.g. (6, 18); `nil` if the release does not start with them.
    public var version: (major: Int, minor: Int)? {
        let numbers = text.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        return (numbers[0], numbers[1])
    }

    /// True when the release is `major.minor` or newer; an unparseable release is given the benefit.
    public func isAtLeast(major: Int, minor: Int) -> Bool {
        guard let version else { return true }
        return (version.major, version.minor) >= (major, minor)
    }
}
