import Foundation

/// Appends unsigned LEB128 varints: the history's process and cgroup rows are mostly small counts,
/// one or two bytes each instead of eight.
struct VarintWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(4096)
    }

    mutating func write(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A signed value, zigzag-coded so small negatives stay small.
    mutating func write(signed value: Int64) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    var data: Data { Data(bytes) }
}
