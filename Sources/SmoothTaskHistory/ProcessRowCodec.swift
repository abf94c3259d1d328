import Foundation
import SmoothTaskModel

/// One collection's process rows as the `processes` blob holds them: per process its pid, whether it
/// exited in the window, its start time (relative to the collection) and its window figures. Names,
/// owners and exits live once per process in the `process` table, not in every collection.
enum ProcessRowCodec {
    /// One decoded row.
    struct Row {
        var pid: Int32
        var exited: Bool
        var startMilliseconds: Int64?
        var window: ProcessFigures
    }

    private static let exitedFlag: UInt64 = 1
    private static let hasStartFlag: UInt64 = 2

    static func encode(_ samples: [ProcessWindowSample], timestamp: Int64) -> Data {
        var writer = VarintWriter()
        writer.write(UInt64(samples.count))
        for sample in samples {
            writer.write(UInt64(UInt32(bitPattern: sample.pid)))
            var flags: UInt64 = sample.state == .exited ? exitedFlag : 0
            if sample.startTimeMilliseconds != nil { flags |= hasStartFlag }
            writer.write(flags)
            if let start = sample.startTimeMilliseconds { writer.write(signed: timestamp - start) }
            ProcessFigures(sample.window).write(to: &writer)
        }
        return writer.data
    }

    static func decode(_ data: Data, timestamp: Int64) throws(HistoryError) -> [Row] {
        var reader = VarintReader(data)
        let count = try reader.read()
        guard count <= UInt64(data.count) else { throw .corrupt("a process blob claims \(count) rows") }
        var rows: [Row] = []
        rows.reserveCapacity(Int(count))
        for _ in 0..<count {
            let pid = Int32(bitPattern: UInt32(truncatingIfNeeded: try reader.read()))
            let flags = try reader.read()
            let start = flags & hasStartFlag != 0 ? timestamp - (try reader.readSigned()) : nil
            rows.append(Row(pid: pid, exited: flags & exitedFlag != 0, startMilliseconds: start, window: try ProcessFigures.read(from: &reader)))
        }
        return rows
    }
}
