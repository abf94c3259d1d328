import CZlib
import Foundation

/// zlib compression of the history's blobs: JSON collections shrink about 5x; the bit-packed process
/// and cgroup rows are stored as they are when compressing them does not pay (it rarely does).
enum Deflate {
    /// Level 6 (zlib's default): level 9 saved under 3% more on recorded collections at twice the cost.
    static let level: Int32 = 6

    /// `data` compressed (zlib format).
    static func compress(_ data: Data) throws(HistoryError) -> Data {
        var destinationLength = compressBound(uLong(data.count))
        var output = Data(count: Int(destinationLength))
        let status = output.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { source in
                compress2(
                    destination.bindMemory(to: Bytef.self).baseAddress, &destinationLength,
                    source.bindMemory(to: Bytef.self).baseAddress, uLong(data.count), level
                )
            }
        }
        guard status == Z_OK else { throw .corrupt("zlib compress2 failed (\(status))") }
        output.count = Int(destinationLength)
        return output
    }

    /// Most bytes one blob may expand to: far above any collection (a few hundred KiB of JSON), low
    /// enough that a damaged blob cannot make a query allocate without bound.
    static let maximumExpandedBytes = 64 << 20

    /// `data` expanded; `expectedBytes` is the size recorded beside it.
    static func expand(_ data: Data, expectedBytes: Int) throws(HistoryError) -> Data {
        guard expectedBytes >= 0, expectedBytes <= maximumExpandedBytes else {
            throw .corrupt("a recorded blob claims \(expectedBytes) bytes")
        }
        var destinationLength = uLong(expectedBytes)
        var output = Data(count: expectedBytes)
        let status = output.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { source in
                uncompress(
                    destination.bindMemory(to: Bytef.self).baseAddress, &destinationLength,
                    source.bindMemory(to: Bytef.self).baseAddress, uLong(data.count)
                )
            }
        }
        guard status == Z_OK, Int(destinationLength) == expectedBytes else {
            throw .corrupt("a recorded blob does not expand (zlib \(status))")
        }
        return output
    }
}
