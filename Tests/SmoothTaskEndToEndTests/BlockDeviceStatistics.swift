import Foundation

/// What the kernel itself counts per whole disk (/sys/block/DEV/stat): the ground truth for block I/O.
enum BlockDeviceStatistics {
    /// Sectors (512 bytes) written per whole disk since boot.
    static func sectorsWritten() throws -> [String: UInt64] {
        var sectors: [String: UInt64] = [:]
        for device in try FileManager.default.contentsOfDirectory(atPath: "/sys/block") {
            guard let text = try? String(contentsOfFile: "/sys/block/\(device)/stat", encoding: .utf8) else { continue }
            let fields = text.split(separator: " ")
            if fields.count > 6, let written = UInt64(fields[6]) { sectors[device] = written }
        }
        return sectors
    }

    /// Waits up to `seconds` until the disks together have written `bytes` more than `before`: a
    /// write the file system acknowledged can still be completing (seen: its last 1 MiB request
    /// more than two seconds after fsync returned).
    static func waitForWritten(_ bytes: UInt64, since before: [String: UInt64], seconds: Double = 15) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = try sectorsWritten()
            let written = now.reduce(UInt64(0)) { $0 + ($1.value &- (before[$1.key] ?? $1.value)) } * 512
            if written >= bytes { return }
            usleep(100_000)
        }
    }
}
