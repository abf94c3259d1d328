import Foundation
import SmoothTaskModel

/// One collection's process rows as the `processes` blob holds them: per process its pid, whether it
/// exited in the window, its start time and its window figures. Names, owners and exits live once
/// per process in the `process` table, not in every collection.
///
/// Layout (schema 2), chosen by bytes per collection at 300 active processes (BENCHMARKS.md): the
/// row count and the presence mask most rows share, then the rows sorted by pid as ``BitColumn``s:
/// pid steps, flags, start-time steps, the masks of rows that differ from the shared one, then one
/// column per figure. Time figures are kept in microseconds: the nanoseconds below are noise no
/// range total needs, and cost ten bits a figure.
enum ProcessRowCodec {
    /// One decoded row.
    struct Row: Equatable {
        var pid: Int32
        var exited: Bool
        var startMilliseconds: Int64?
        var window: ProcessFigures

        init(pid: Int32, exited: Bool, startMilliseconds: Int64?, window: ProcessFigures) {
            self.pid = pid
            self.exited = exited
            self.startMilliseconds = startMilliseconds
            self.window = window
        }

        /// `sample`'s row as the store reads it back: time figures rounded to stored units.
        init(storing sample: ProcessWindowSample) {
            var window = ProcessFigures(sample.window)
            for index in ProcessRowCodec.timeFigures where window.present & (1 << UInt64(index)) != 0 {
                window.values[index] = ProcessRowCodec.stored(window.values[index], figure: index) &* ProcessRowCodec.nanosecondsPerStoredUnit
            }
            self.init(pid: sample.pid, exited: sample.state == .exited, startMilliseconds: sample.startTimeMilliseconds, window: window)
        }
    }

    private static let exitedFlag: UInt64 = 1
    private static let noStartFlag: UInt64 = 2
    private static let ownPresentFlag: UInt64 = 4
    /// Figures (``ProcessFigures`` order) counted in nanoseconds and stored in microseconds.
    static let timeFigures = [0, 5, 10]
    /// The same as a mask: ``stored(_:figure:)`` asks for every figure of every row.
    private static let timeFigureMask: UInt64 = 1 << 0 | 1 << 5 | 1 << 10
    static let nanosecondsPerStoredUnit: UInt64 = 1000
    private static let countBits = 32
    private static let maskBits = ProcessFigures.count

    /// A nanosecond figure in stored units, rounded to the nearest so range sums stay unbiased;
    /// rounded down within a unit of `UInt64.max`, so it reads back without wrapping (and storing
    /// what was read back stores the same).
    static func stored(_ value: UInt64, figure: Int) -> UInt64 {
        guard timeFigureMask & (1 << UInt64(figure)) != 0 else { return value }
        let units = value / nanosecondsPerStoredUnit
        let roundsUp = value % nanosecondsPerStoredUnit >= nanosecondsPerStoredUnit / 2 && units < UInt64.max / nanosecondsPerStoredUnit
        return units + (roundsUp ? 1 : 0)
    }

    static func encode(_ samples: [ProcessWindowSample], timestamp: Int64) -> Data {
        encode(samples.map(Row.init(storing:)), timestamp: timestamp)
    }

    static func encode(_ unsorted: [Row], timestamp: Int64) -> Data {
        // Sorted as small keys with the row's place (ties in the order given, as a stable sort leaves
        // them), not as rows: moving 10,000 rows of 100-odd bytes through the merge sort was a tenth
        // of the codec's time (perf, 10,000 active processes).
        let order = unsorted.indices.map { (pid: UInt32(bitPattern: unsorted[$0].pid), start: unsorted[$0].startMilliseconds ?? 0, index: $0) }
            .sorted { ($0.pid, $0.start, $0.index) < ($1.pid, $1.start, $1.index) }
        let rows = order.lazy.map { unsorted[$0.index] }
        var masks: [UInt64: Int] = [:]
        for row in unsorted { masks[row.window.present, default: 0] += 1 }
        let shared = masks.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
        var writer = BitWriter()
        writer.write(UInt64(rows.count), bits: countBits)
        writer.write(shared, bits: maskBits)
        var previousPid: UInt64 = 0
        var previousStart = timestamp
        var pidSteps: [UInt64] = [], flags: [UInt64] = [], starts: [UInt64] = [], ownMasks: [UInt64] = []
        pidSteps.reserveCapacity(rows.count)
        flags.reserveCapacity(rows.count)
        starts.reserveCapacity(rows.count)
        var figures = [[UInt64]](repeating: [], count: ProcessFigures.count)
        for row in rows {
            let pid = UInt64(UInt32(bitPattern: row.pid))
            pidSteps.append(pid - previousPid)
            previousPid = pid
            var flag: UInt64 = row.exited ? exitedFlag : 0
            if let start = row.startMilliseconds {
                let step = start &- previousStart
                starts.append(UInt64(bitPattern: (step << 1) ^ (step >> 63)))
                previousStart = start
            } else {
                flag |= noStartFlag
            }
            if row.window.present != shared {
                flag |= ownPresentFlag
                ownMasks.append(row.window.present)
            }
            flags.append(flag)
            for index in 0..<ProcessFigures.count where row.window.present & (1 << UInt64(index)) != 0 {
                figures[index].append(stored(row.window.values[index], figure: index))
            }
        }
        for column in [pidSteps, flags, starts, ownMasks] + figures { BitColumn.write(column, to: &writer) }
        return writer.data
    }

    static func decode(_ data: Data, timestamp: Int64) throws(HistoryError) -> [Row] {
        var reader = BitReader([UInt8](data))
        let count = Int(try reader.read(bits: countBits))
        // Every row costs at least a bit in each of its columns.
        guard count <= data.count * 8 else { throw .corrupt("a process blob claims \(count) rows") }
        let shared = try reader.read(bits: maskBits)
        let pidSteps = try BitColumn.read(count: count, from: &reader)
        let flags = try BitColumn.read(count: count, from: &reader)
        let starts = try BitColumn.read(count: flags.count { $0 & noStartFlag == 0 }, from: &reader)
        let ownMasks = try BitColumn.read(count: flags.count { $0 & ownPresentFlag != 0 }, from: &reader)
        var masks: [UInt64] = []
        masks.reserveCapacity(count)
        var ownIndex = 0
        for flag in flags {
            if flag & ownPresentFlag != 0 {
                masks.append(ownMasks[ownIndex])
                ownIndex += 1
            } else {
                masks.append(shared)
            }
        }
        var figures: [[UInt64]] = []
        for index in 0..<ProcessFigures.count {
            var column = try BitColumn.read(count: masks.count { $0 & (1 << UInt64(index)) != 0 }, from: &reader)
            if timeFigures.contains(index) { column = column.map { $0 &* nanosecondsPerStoredUnit } }
            figures.append(column)
        }
        var rows: [Row] = []
        rows.reserveCapacity(count)
        var pid: UInt64 = 0
        var start = timestamp
        var startIndex = 0
        var figureIndex = [Int](repeating: 0, count: ProcessFigures.count)
        for row in 0..<count {
            pid &+= pidSteps[row]
            var startMilliseconds: Int64?
            if flags[row] & noStartFlag == 0 {
                let raw = starts[startIndex]
                startIndex += 1
                start &+= Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
                startMilliseconds = start
            }
            var window = ProcessFigures()
            window.present = masks[row]
            for index in 0..<ProcessFigures.count where window.present & (1 << UInt64(index)) != 0 {
                window.values[index] = figures[index][figureIndex[index]]
                figureIndex[index] += 1
            }
            rows.append(Row(pid: Int32(bitPattern: UInt32(truncatingIfNeeded: pid)), exited: flags[row] & exitedFlag != 0, startMilliseconds: startMilliseconds, window: window))
        }
        return rows
    }
}
