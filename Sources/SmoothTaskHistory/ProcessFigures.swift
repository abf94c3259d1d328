import SmoothTaskModel

/// The eleven per-process figures of a ``ProcessTotals`` in a fixed order: how the history writes a
/// window or a lifetime as a presence mask and varints, and adds windows up over a range.
struct ProcessFigures: Equatable {
    static let count = 11
    /// Inline, not an `Array`: a heap allocation per process row (10,000 a collection at 10,000 active
    /// processes, and per row decoded in a range query) was a share of the writer's and the reader's time.
    var values = InlineArray<11, UInt64>(repeating: 0)
    /// Bit i set: figure i was counted (its program was on); a clear bit is `nil` on the wire.
    var present: UInt64 = 0

    init() {}

    static func == (left: ProcessFigures, right: ProcessFigures) -> Bool {
        guard left.present == right.present else { return false }
        for index in 0..<count where left.values[index] != right.values[index] { return false }
        return true
    }

    init(_ totals: ProcessTotals) {
        // Set one by one: an array of optionals per process was a tenth of the writer's time.
        set(0, totals.cpuTimeNanoseconds)
        set(1, totals.syscalls)
        set(2, totals.failedSyscalls)
        set(3, totals.userFaults)
        set(4, totals.reclaimStalls)
        set(5, totals.reclaimStallNanoseconds)
        set(6, totals.diskReadBytes)
        set(7, totals.diskWriteBytes)
        set(8, totals.netSentBytes)
        set(9, totals.netReceivedBytes)
        set(10, totals.runQueueWaitNanoseconds)
    }

    private mutating func set(_ index: Int, _ figure: UInt64?) {
        guard let figure else { return }
        values[index] = figure
        present |= 1 << UInt64(index)
    }

    /// The figures as totals, `nil` where not counted.
    func totals(since: ProcessTotals.Since, sinceMilliseconds: Int64) -> ProcessTotals {
        var totals = ProcessTotals(since: since, sinceMilliseconds: sinceMilliseconds)
        totals.cpuTimeNanoseconds = figure(0)
        totals.syscalls = figure(1)
        totals.failedSyscalls = figure(2)
        totals.userFaults = figure(3)
        totals.reclaimStalls = figure(4)
        totals.reclaimStallNanoseconds = figure(5)
        totals.diskReadBytes = figure(6)
        totals.diskWriteBytes = figure(7)
        totals.netSentBytes = figure(8)
        totals.netReceivedBytes = figure(9)
        totals.runQueueWaitNanoseconds = figure(10)
        return totals
    }

    /// Figure `index`, `nil` when it was not counted.
    func figure(_ index: Int) -> UInt64? { present & (1 << UInt64(index)) != 0 ? values[index] : nil }

    var cpuNanoseconds: UInt64 { values[0] }

    /// Adds `other` in: a figure counted in any window is counted in the sum.
    mutating func add(_ other: ProcessFigures) {
        for index in 0..<Self.count { values[index] &+= other.values[index] }
        present |= other.present
    }

    /// Writes the presence mask, a mask of the non-zero figures, then those figures: an idle figure costs nothing.
    func write(to writer: inout VarintWriter) {
        var nonZero: UInt64 = 0
        for index in 0..<Self.count where values[index] != 0 { nonZero |= 1 << UInt64(index) }
        writer.write(present)
        writer.write(nonZero)
        for index in 0..<Self.count where values[index] != 0 { writer.write(values[index]) }
    }

    static func read(from reader: inout VarintReader) throws(HistoryError) -> ProcessFigures {
        var figures = ProcessFigures()
        figures.present = try reader.read()
        let nonZero = try reader.read()
        for index in 0..<count where nonZero & (1 << UInt64(index)) != 0 { figures.values[index] = try reader.read() }
        return figures
    }
}

