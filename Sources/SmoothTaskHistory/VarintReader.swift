import Foundation

/// Reads what ``VarintWriter`` wrote; a truncated or overlong value is a ``HistoryError/corrupt(_:)``.
struct VarintReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func read() throws(HistoryError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            guard shift < 64 else { break }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw .corrupt("a recorded row ends early")
    }

    mutating func readSigned() throws(HistoryError) -> Int64 {
        let raw = try read()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
