import Foundation

/// Appends bit fields, least significant bit first: the history's process and cgroup columns are
/// written in exactly as many bits as their figures need (``BitColumn``), not in whole bytes.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    /// Bits not yet flushed to `bytes`, the oldest in the low end.
    private var pending: UInt64 = 0
    private var pendingCount = 0

    init() {
        bytes.reserveCapacity(4096)
    }

    /// Writes the low `count` bits of `value` (`count` 0...64).
    mutating func write(_ value: UInt64, bits count: Int) {
        guard count > 0 else { return }
        let field = count == 64 ? value : value & ((1 << UInt64(count)) - 1)
        pending |= field << UInt64(pendingCount)
        let room = 64 - pendingCount
        if count >= room {
            // The pending word is full: flush it, keep what did not fit.
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: pending >> UInt64(shift))) }
            pending = room == 64 ? 0 : field >> UInt64(room)
            pendingCount = count - room
        } else {
            pendingCount += count
        }
    }

    /// The bits written, the last byte padded with zeros.
    var data: Data {
        var result = bytes
        var rest = pending
        var left = pendingCount
        while left > 0 {
            result.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
            left -= 8
        }
        return Data(result)
    }
}
