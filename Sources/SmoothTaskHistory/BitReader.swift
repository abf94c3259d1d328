import Foundation

/// Reads what ``BitWriter`` wrote; reading past the end is a ``HistoryError/corrupt(_:)``.
struct BitReader {
    private let bytes: [UInt8]
    /// Next bit to read, counted from the first byte's lowest bit.
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads `count` bits (0...64) into the low end of the result.
    mutating func read(bits count: Int) throws(HistoryError) -> UInt64 {
        guard count > 0 else { return 0 }
        guard position + count <= bytes.count * 8 else { throw .corrupt("a recorded row ends early") }
        var value: UInt64 = 0
        var done = 0
        while done < count {
            let byte = UInt64(bytes[position >> 3]) >> UInt64(position & 7)
            let available = 8 - (position & 7)
            let take = min(available, count - done)
            value |= (byte & ((1 << UInt64(take)) - 1)) << UInt64(done)
            done += take
            position += take
        }
        return value
    }

    /// Counts zero bits up to and including the next one bit, at most `limit` zeros.
    mutating func readZeros(limit: Int) throws(HistoryError) -> Int {
        var zeros = 0
        while try read(bits: 1) == 0 {
            zeros += 1
            guard zeros <= limit else { throw .corrupt("a recorded figure is longer than 64 bits") }
        }
        return zeros
    }
}
