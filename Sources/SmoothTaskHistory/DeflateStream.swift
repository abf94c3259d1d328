import CZlib
import Foundation

/// One zlib compressor kept for every blob the writer compresses, reset between them: a fresh
/// `deflateInit` per blob (three a collection) allocated and cleared about 270 KiB each time, and
/// with the page faults of that memory took a seventh of the writer's time (perf, idle release
/// daemon). Writes what ``Deflate/compress(_:dictionary:)`` writes. The writer's thread only.
final class DeflateStream {
    private var stream = z_stream()
    private let ready: Bool

    init() {
        ready = deflateInit_(&stream, Deflate.level, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { deflateEnd(&stream) }
    }

    /// `data` compressed (zlib format); with a `dictionary`, matches may refer into it, and
    /// ``Deflate/expand(_:expectedBytes:dictionary:)`` needs the same bytes back.
    func compress(_ data: Data, dictionary: Data? = nil) throws(HistoryError) -> Data {
        guard ready, deflateReset(&stream) == Z_OK else { throw .corrupt("zlib deflateInit failed") }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))))
        let status = output.withUnsafeMutableBytes { destination -> Int32 in
            if let dictionary {
                let set = dictionary.withUnsafeBytes { dictionaryBytes in
                    deflateSetDictionary(&stream, dictionaryBytes.bindMemory(to: Bytef.self).baseAddress, uInt(dictionary.count))
                }
                guard set == Z_OK else { return set }
            }
            return data.withUnsafeBytes { source in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(data.count)
                stream.next_out = destination.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(destination.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        stream.next_in = nil
        stream.next_out = nil
        guard status == Z_STREAM_END else { throw .corrupt("zlib deflate failed (\(status))") }
        output.count = Int(stream.total_out)
        return output
    }
}
