/// One column of figures (every row's CPU time, every row's pid step, ...) in as few bits as its
/// values need: each value split at bit `k` into a quotient written as its length in unary and its
/// bits after the leading one, then the `k` low bits verbatim (an exponential-Golomb code). `k` is
/// chosen per column and collection from the values' bit lengths, so 300 CPU times of up to 50 ms
/// take about 16 bits each where varints take 24, and one outlier costs a few bits, not the column.
/// A column that is mostly zeros (disk, network) instead spends one bit per row on "zero or not",
/// and a column of zeros only (a figure nothing did) costs its header alone.
enum BitColumn {
    /// How a column's values are written (the header's first two bits).
    private enum Mode: UInt64 {
        case plain = 0, zeroFlagged = 1, allZero = 2
    }

    private static let modeBits = 2
    /// Bits of `k` in the header.
    private static let kBits = 6

    /// Bits one value of bit length `length` costs with split `k`.
    private static func cost(length: Int, k: Int) -> Int {
        let quotient = max(length - k, 0)
        return k + quotient + 1 + max(quotient - 1, 0)
    }

    private static func bitLength(_ value: UInt64) -> Int { 64 - value.leadingZeroBitCount }

    /// Writes `values` with the cheapest parameters for them.
    static func write(_ values: [UInt64], to writer: inout BitWriter) {
        // Costs depend only on each value's bit length: count those once, then price every k.
        var plain = [Int](repeating: 0, count: 65)
        var flagged = [Int](repeating: 0, count: 65)
        var longest = 0
        for value in values {
            let length = bitLength(value)
            plain[length] += 1
            longest = max(longest, length)
            if value != 0 { flagged[bitLength(value - 1)] += 1 }
        }
        if longest == 0 {
            writer.write(Mode.allZero.rawValue, bits: modeBits)
            return
        }
        var best = (bits: Int.max, zeroFlag: false, k: 0)
        // No value is longer than `longest`: a larger k costs every value more (k + 1 bits each), so
        // pricing only k and lengths up to it chooses what pricing all 64 did, at a fraction of the
        // work (the search was a third of the writer's time at 300 processes).
        for k in 0...min(longest, 63) {
            var plainBits = 0
            var flaggedBits = values.count
            for length in 0...longest {
                let price = cost(length: length, k: k)
                plainBits += plain[length] * price
                flaggedBits += flagged[length] * price
            }
            if plainBits < best.bits { best = (plainBits, false, k) }
            if flaggedBits < best.bits { best = (flaggedBits, true, k) }
        }
        writer.write((best.zeroFlag ? Mode.zeroFlagged : Mode.plain).rawValue, bits: modeBits)
        writer.write(UInt64(best.k), bits: kBits)
        for value in values {
            if best.zeroFlag {
                writer.write(value == 0 ? 0 : 1, bits: 1)
                if value != 0 { write(value - 1, k: best.k, to: &writer) }
            } else {
                write(value, k: best.k, to: &writer)
            }
        }
    }

    private static func write(_ value: UInt64, k: Int, to writer: inout BitWriter) {
        let quotient = k == 64 ? 0 : value >> UInt64(k)
        let length = bitLength(quotient)
        writer.write(0, bits: length)
        writer.write(1, bits: 1)
        if length > 1 { writer.write(quotient, bits: length - 1) }
        writer.write(value, bits: k)
    }

    /// Reads `count` values written by ``write(_:to:)``.
    static func read(count: Int, from reader: inout BitReader) throws(HistoryError) -> [UInt64] {
        guard let mode = Mode(rawValue: try reader.read(bits: modeBits)) else { throw .corrupt("a recorded column has no known layout") }
        if mode == .allZero { return [UInt64](repeating: 0, count: count) }
        let zeroFlag = mode == .zeroFlagged
        let k = Int(try reader.read(bits: kBits))
        var values: [UInt64] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            if zeroFlag, try reader.read(bits: 1) == 0 {
                values.append(0)
                continue
            }
            let length = try reader.readZeros(limit: 64 - k)
            var quotient: UInt64 = 0
            if length > 0 { quotient = (1 << UInt64(length - 1)) | (length > 1 ? try reader.read(bits: length - 1) : 0) }
            let value = (quotient << UInt64(k)) | (try reader.read(bits: k))
            values.append(zeroFlag ? value &+ 1 : value)
        }
        return values
    }
}
