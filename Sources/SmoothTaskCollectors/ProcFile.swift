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
}
