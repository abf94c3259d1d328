import Foundation

/// Reads what ``BitWriter`` wrote; reading past the end is a ``HistoryError/corrupt(_:)``.
///
/// Fields are read a 64-bit word at a time, not byte by byte: decoding is most of a range query
/// (an hour at 300 processes is a million rows of eleven figures).
struct BitReader {
    /// The bytes and ``padding`` zero bytes after them, so a word can be loaded at any position.
    private let bytes: [UInt8]
    private let bitCount: Int
    /// Next bit to read, counted from the first byte's lowest bit.
    private var position = 0

    /// A word load at the last byte reads eight more, and a shift one more.
    private static let padding = 9

    init(_ bytes: [UInt8]) {
        bitCount = bytes.count * 8
        self.bytes = bytes + [UInt8](repeating: 0, count: Self.padding)
    }

    /// The 64 bits from `position` on, zeros past the end.
    private func peek() -> UInt64 {
        let index = position >> 3
        let shift = UInt64(position & 7)
        return bytes.withUnsafeBytes { raw in
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            guard shift > 0 else { return word }
            return word >> shift | UInt64(raw[index + 8]) << (64 - shift)
        }
    }

    /// Reads `count` bits (0...64) into the low end of the result.
    mutating func read(bits count: Int) throws(HistoryError) -> UInt64 {
        guard count > 0 else { return 0 }
        guard position + count <= bitCount else { throw .corrupt("a recorded row ends early") }
        let word = peek()
        position += count
        return count == 64 ? word : word & ((1 << UInt64(count)) - 1)
    }

    /// Counts zero bits up to and including the next one bit, at most `limit` zeros.
    mutating func readZeros(limit: Int) throws(HistoryError) -> Int {
        let word = peek()
        guard word != 0 else {
            // 64 zeros or more ahead (or the end): bit by bit, as rare as a 64-bit figure.
            var zeros = 0
            while try read(bits: 1) == 0 {
                zeros += 1
                guard zeros <= limit else { throw .corrupt("a recorded figure is longer than 64 bits") }
            }
            return zeros
        }
        // The bits past the end are zeros, so the one found is inside the data.
        let zeros = word.trailingZeroBitCount
        guard zeros <= limit else { throw .corrupt("a recorded figure is longer than 64 bits") }
        position += zeros + 1
        return zeros
    }
}
