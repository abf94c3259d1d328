import Foundation
import SmoothTaskModel

/// One collection's cgroup rows as the `cgroups` blob holds them: id, CPU over the window and since
/// attach. Paths and units live once per cgroup in the `cgroup` table.
enum CgroupRowCodec {
    struct Row {
        var id: UInt64
        var cpuNanoseconds: UInt64
        var cpuTotalNanoseconds: UInt64
    }

    static func encode(_ rows: [CgroupCPUUsage]) -> Data {
        var writer = VarintWriter()
        let identified = rows.filter { $0.id != nil }
        writer.write(UInt64(identified.count))
        for row in identified {
            writer.write(row.id ?? 0)
            writer.write(row.cpuTimeNanoseconds)
            writer.write(row.cpuTotalNanoseconds)
        }
        return writer.data
    }

    static func decode(_ data: Data) throws(HistoryError) -> [Row] {
        var reader = VarintReader(data)
        let count = try reader.read()
        guard count <= UInt64(data.count) else { throw .corrupt("a cgroup blob claims \(count) rows") }
        var rows: [Row] = []
        for _ in 0..<count {
            rows.append(Row(id: try reader.read(), cpuNanoseconds: try reader.read(), cpuTotalNanoseconds: try reader.read()))
        }
        return rows
    }
}
