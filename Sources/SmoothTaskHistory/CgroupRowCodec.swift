import Foundation
import SmoothTaskModel

/// One collection's cgroup rows as the `cgroups` blob holds them: id, CPU over the window and since
/// attach. Paths and units live once per cgroup in the `cgroup` table.
///
/// Layout (schema 2): the row count, then the rows sorted by id as ``BitColumn``s: id steps, window
/// CPU and CPU since attach, both in microseconds (``ProcessRowCodec/nanosecondsPerStoredUnit``).
enum CgroupRowCodec {
    struct Row: Equatable {
        var id: UInt64
        var cpuNanoseconds: UInt64
        var cpuTotalNanoseconds: UInt64
    }

    private static let countBits = 32

    static func encode(_ rows: [CgroupCPUUsage]) -> Data {
        encode(rows.compactMap { usage in
            usage.id.map { Row(id: $0, cpuNanoseconds: usage.cpuTimeNanoseconds, cpuTotalNanoseconds: usage.cpuTotalNanoseconds) }
        })
    }

    static func encode(_ unsorted: [Row]) -> Data {
        let rows = unsorted.sorted { $0.id < $1.id }
        var writer = BitWriter()
        writer.write(UInt64(rows.count), bits: countBits)
        var previous: UInt64 = 0
        var steps: [UInt64] = []
        for row in rows {
            steps.append(row.id - previous)
            previous = row.id
        }
        BitColumn.write(steps, to: &writer)
        BitColumn.write(rows.map { ProcessRowCodec.stored($0.cpuNanoseconds, figure: 0) }, to: &writer)
        BitColumn.write(rows.map { ProcessRowCodec.stored($0.cpuTotalNanoseconds, figure: 0) }, to: &writer)
        return writer.data
    }

    static func decode(_ data: Data) throws(HistoryError) -> [Row] {
        var reader = BitReader([UInt8](data))
        let count = Int(try reader.read(bits: countBits))
        guard count <= data.count * 8 else { throw .corrupt("a cgroup blob claims \(count) rows") }
        let steps = try BitColumn.read(count: count, from: &reader)
        let unit = ProcessRowCodec.nanosecondsPerStoredUnit
        let cpu = try BitColumn.read(count: count, from: &reader)
        let total = try BitColumn.read(count: count, from: &reader)
        var rows: [Row] = []
        rows.reserveCapacity(count)
        var id: UInt64 = 0
        for index in 0..<count {
            id &+= steps[index]
            rows.append(Row(id: id, cpuNanoseconds: cpu[index] &* unit, cpuTotalNanoseconds: total[index] &* unit))
        }
        return rows
    }
}
