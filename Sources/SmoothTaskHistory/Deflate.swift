import CZlib
import Foundation

/// zlib compression of the history's blobs: JSON collections shrink about 3x alone and about 5.5x
/// with an earlier collection as the dictionary; the bit-packed process and cgroup rows are stored as
/// they are when compressing them does not pay (it rarely does).
enum Deflate {
    /// Level 6 (zlib's default): level 9 saved under 3% more on recorded collections at twice the cost.
    static let level: Int32 = 6

    /// `data` compressed (zlib format); with a `dictionary`, matches may refer into it, and
    /// ``expand(_:expectedBytes:dictionary:)`` needs the same bytes back. The writer keeps one
    /// ``DeflateStream`` instead.
    static func compress(_ data: Data, dictionary: Data? = nil) throws(HistoryError) -> Data {
        try DeflateStream().compress(data, dictionary: dictionary)
    }

    /// Most bytes one blob may expand to: far above any collection (a few hundred KiB of JSON), low
    /// enough that a damaged blob cannot make a query allocate without bound.
    static let maximumExpandedBytes = 64 << 20

    /// `data` expanded; `expectedBytes` is the size recorded beside it, `dictionary` the one it was
    /// compressed with.
    static func expand(_ data: Data, expectedBytes: Int, dictionary: Data? = nil) throws(HistoryError) -> Data {
        guard expectedBytes >= 0, expectedBytes <= maximumExpandedBytes else {
            throw .corrupt("a recorded blob claims \(expectedBytes) bytes")
        }
        if let dictionary { return try expand(data, expectedBytes: expectedBytes, with: dictionary) }
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

    // zlib's one-call functions take no dictionary: this drives a z_stream through one call.

    private static func expand(_ data: Data, expectedBytes: Int, with dictionary: Data) throws(HistoryError) -> Data {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output = Data(count: expectedBytes)
        let status = output.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { source -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(data.count)
                stream.next_out = destination.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(destination.count)
                var status = inflate(&stream, Z_FINISH)
                // The stream names its dictionary (by checksum) before any data: hand it over, go on.
                if status == Z_NEED_DICT {
                    status = dictionary.withUnsafeBytes { dictionaryBytes in
                        inflateSetDictionary(
                            &stream, dictionaryBytes.bindMemory(to: Bytef.self).baseAddress, uInt(dictionary.count)
                        )
                    }
                    if status == Z_OK { status = inflate(&stream, Z_FINISH) }
                }
                return status
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedBytes else {
            throw .corrupt("a recorded blob does not expand with its base collection (zlib \(status))")
        }
        return output
    }
}
