import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// A ``MetricProgram`` that is one metric area of a collection (CPU, syscalls, memory, run-queue
/// latency, disk, network): it keeps the baseline its windows start from (taken in ``attach()``,
/// so the first collection after a switch-on already covers a window) and puts each window into
/// the collection. ``MetricArea`` drives it: switch, failure, `sources`/`unavailable`, /proc side.
protocol MetricAreaReader: MetricProgram {
    /// What the area reads from /proc every collection while it is switched on, loaded or not
    /// (the CPU fallback, the memory figures); ``NoProcfsReading`` for eBPF-only areas.
    associatedtype Procfs: ProcfsAreaReading = NoProcfsReading

    /// The per-process figures it counts into the shared per-process maps (bpf/process_maps.h),
    /// `nil` if it counts none.
    static var countingArea: ProcessCountingArea? { get }

    /// Keys of ``EbpfMetrics/unavailable`` besides ``metricName`` that carry the area's reason when
    /// it is switched off or has no figures (e.g. `syscalls` for the syscall details).
    static var detailNames: [String] { get }

    /// Whether eBPF counts as unusable on this system when this program fails (CPU, syscalls,
    /// memory), rather than the area alone missing (an area needing a newer kernel, say).
    static var isEssential: Bool { get }

    /// Puts the window since the previous collection (or since ``attach()``) into `collection`,
    /// which starts the next one.
    /// - Parameter processes: the collection's reading of the process table and per-CPU accounting,
    ///   `nil` without the lifecycle program; an area reading the same maps uses it, so its figures
    ///   and the processes' cover the same window.
    func collect(into collection: inout MetricsCollection, processes: ProcessCountersReading?) throws(BPFError)

    /// Says that the area is switched off: by default its source is `disabled`, with its switch.
    static func noteDisabled(in collection: inout MetricsCollection)
    /// Says that ``collect(into:processes:)`` measured the window: by default its source is `ebpf`,
    /// with what this kernel lacks (`missingDetail`), if anything.
    static func noteMeasured(missingDetail: String?, in collection: inout MetricsCollection)
    /// Says why the program gave nothing this collection (not loaded, not attached, a read failed):
    /// by default the area's source is `unavailable` with the reason.
    static func noteMissing(_ reason: String, in collection: inout MetricsCollection)
}

extension MetricAreaReader {
    /// The key of ``EbpfMetrics/sources`` and ``EbpfMetrics/unavailable`` for the area, from its switch.
    static var metricName: String { metricSwitch.sourceName ?? metricSwitch.configKey }

    static var detailNames: [String] { [] }

    static var isEssential: Bool { false }

    static var countingArea: ProcessCountingArea? { nil }

    static func noteDisabled(in collection: inout MetricsCollection) {
        collection.sources[metricName] = .disabled
        for name in [metricName] + detailNames { collection.unavailable[name] = metricSwitch.disabledReason }
    }

    static func noteMeasured(missingDetail: String?, in collection: inout MetricsCollection) {
        collection.sources[metricName] = .ebpf
        if let missingDetail { collection.unavailable[metricName] = missingDetail }
    }

    static func noteMissing(_ reason: String, in collection: inout MetricsCollection) {
        collection.sources[metricName] = .unavailable
        for name in [metricName] + detailNames { collection.unavailable[name] = reason }
    }
}
