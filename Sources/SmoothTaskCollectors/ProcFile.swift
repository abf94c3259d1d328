#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads small procfs/sysfs files, which report a size of 0 and must be read until EOF.
enum ProcFile {
    /// Procfs files SmoothTask reads (/proc/stat on a 1024-CPU machine is ~150 KiB) fit in this.
    static let maximumBytes = 1 << 20

    /// The file's text, or the errno that stopped the read.
    static func contents(of path: String) -> Result<String, ProcfsError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ProcfsError(path: path, errno: errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count < maximumBytes {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ProcfsError(path: path, errno: errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The whole number after `key` and one or more spaces at the start of a line of `text`
    /// (`ctxt 123` in /proc/stat, `MemTotal:    16384 kB` in /proc/meminfo); `nil` when no line
    /// starts so or the number is not a whole UInt64.
    ///
    /// Scans the bytes in place: every collection reads /proc/stat, /proc/vmstat (~180 lines) and
    /// /proc/meminfo, and splitting them into lines and fields allocated more than it read.
    static func number(after key: String, in text: String) -> UInt64? {
        var text = text
        let key = Array(key.utf8)
        let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n"), zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        return text.withUTF8 { bytes -> UInt64? in
            var lineStart = 0
            while lineStart + key.count < bytes.count {
                if bytes[lineStart + key.count] == space, bytes[lineStart..<lineStart + key.count].elementsEqual(key) {
                    var position = lineStart + key.count
                    while position < bytes.count, bytes[position] == space { position += 1 }
                    var value: UInt64 = 0
                    let digitsStart = position
                    while position < bytes.count, bytes[position] >= zero, bytes[position] <= nine {
                        let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                        let (sum, overflowSum) = times.addingReportingOverflow(UInt64(bytes[position] - zero))
                        guard !overflowTimes, !overflowSum else { return nil }
                        value = sum
                        position += 1
                    }
                    let ended = position == bytes.count || bytes[position] == space || bytes[position] == newline
                    return position > digitsStart && ended ? value : nil
                }
                // memchr: /proc/stat's intr line alone is thousands of bytes, and the generic
                // firstIndex(of:) over a slice crawled through it in debug builds.
                guard let base = bytes.baseAddress,
                    let end = memchr(base + lineStart, Int32(newline), bytes.count - lineStart)
                else { return nil }
                lineStart = base.distance(to: end.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return nil
        }
    }
}
