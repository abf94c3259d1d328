import SmoothTaskBPF
import SmoothTaskModel

/// One metric area (CPU, syscalls, memory, run-queue latency, disk, network) as the collector
/// drives it, whatever it measures: loaded with the collector's programs, switched with the
/// configuration, collected into each ``EbpfMetrics``, its counters exported. ``MetricArea`` is
/// the implementation.
protocol EbpfMetricArea: AnyProgramSlot {
    /// Loads the area's program with `loader`'s shared maps; a failure is kept and reported.
    func load(with loader: ProgramLoader)
    /// Unloads the program; the area then reports `reason` as why it has none (its /proc side stays).
    func unload(because reason: String)
    /// Attaches the area's programs if `config` switches it on, detaches them if off.
    func apply(config: EbpfConfig)
    /// Adds the area's window to `collection`, or says why it has none.
    /// - Parameters:
    ///   - processes: the collection's process-table reading, `nil` without one.
    ///   - procfs: the collection's machine-wide /proc files, for the area's /proc side.
    func collect(into collection: inout MetricsCollection, processes: ProcessCountersReading?, procfs: ProcfsTick)
    /// Why its program failed, if it is one eBPF cannot be said to work without (``MetricAreaReader/isEssential``).
    var essentialFailure: BPFError? { get }
    /// The per-process figures its program counts while attached, `nil` if none or detached.
    var countingArea: ProcessCountingArea? { get }
    /// Puts the area's cumulative counters as of its latest collection into `readings`; nothing
    /// while it is switched off, so its families disappear rather than freeze.
    func addCounters(to readings: inout CounterReadings)
    /// The collection thread's CPU nanoseconds its program's latest read took (its maps, into the
    /// collection), kept while it is detached: what attaching it again adds to each collection.
    /// `nil` until it has been read once.
    var readNanoseconds: UInt64? { get }
}
