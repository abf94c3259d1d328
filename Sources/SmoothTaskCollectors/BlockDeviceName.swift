#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Names block devices by number, as the kernel's disk programs key them.
enum BlockDeviceName {
    /// The kernel's `MINORBITS`: a `dev_t` inside the kernel is `major << 20 | minor`.
    static let minorBits: UInt32 = 20

    /// Major and minor of a kernel-internal `dev_t`.
    static func split(_ dev: UInt32) -> (major: UInt32, minor: UInt32) {
        (dev >> minorBits, dev & ((1 << minorBits) - 1))
    }

    /// The disk's name, e.g. `vda`: the last component of the /sys/dev/block/MAJ:MIN link;
    /// `MAJ:MIN` when the device is gone.
    static func name(major: UInt32, minor: UInt32) -> String {
        let link = "/sys/dev/block/\(major):\(minor)"
        var target = [CChar](repeating: 0, count: Int(PATH_MAX))
        let length = readlink(link, &target, target.count - 1)
        guard length > 0 else { return "\(major):\(minor)" }
        let path = String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.split(separator: "/").last.map(String.init) ?? "\(major):\(minor)"
    }
}
