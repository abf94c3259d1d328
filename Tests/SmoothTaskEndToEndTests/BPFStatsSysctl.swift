import Foundation

/// `kernel.bpf_stats_enabled`, which a test switches and must put back as it found it: the switch is
/// machine-wide and costs every eBPF program on the machine while on.
enum BPFStatsSysctl {
    static let path = "/proc/sys/kernel/bpf_stats_enabled"

    /// The value now, 0 or 1.
    static func read() throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        return value
    }

    /// Writes `value`; returns the value it replaced, for the caller to restore.
    @discardableResult
    static func write(_ value: Int) throws -> Int {
        let previous = try read()
        try "\(value)\n".write(toFile: path, atomically: false, encoding: .utf8)
        return previous
    }
}
