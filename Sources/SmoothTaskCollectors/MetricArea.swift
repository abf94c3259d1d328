import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// Drives one ``MetricAreaReader`` through its ``ProgramSlot``, and its /proc side, and puts its
/// window into each collection, or says in `sources`/`unavailable` why there is none, while the
/// other areas keep working: the one collect path of every area.
final class MetricArea<Reader: MetricAreaReader>: EbpfMetricArea {
    private let logger: Logger
    /// `nil` until the collector loads its programs (or after it unloads them).
    private(set) var slot: ProgramSlot<Reader>?
    /// Why there is no slot: e.g. eBPF unavailable, with the reason.
    private var notLoadedReason: String
    /// Whether the area's switch is on, loaded or not.
    private(set) var enabled: Bool
    /// The /proc side while the area is on; made (with its baseline) when it is switched on.
    private var procfs: Reader.Procfs?
    /// Why the overhead budget holds the program detached, kept across a reload.
    private var shedReason: String?
    private(set) var readNanoseconds: UInt64?

    /// An area with no program yet, switched as `config` says (its /proc side takes its baseline now).
    init(logger: Logger, config: EbpfConfig, notLoadedReason: String) {
        self.logger = logger
        self.notLoadedReason = notLoadedReason
        enabled = config[Reader.metricSwitch]
        procfs = enabled ? Reader.Procfs() : nil
    }

    func load(with loader: ProgramLoader) {
        slot?.shutdown()
        slot = ProgramSlot(loader: loader)
        slot?.shed(reason: shedReason)
        slot?.apply(enabled: enabled)
    }

    func unload(because reason: String) {
        slot?.shutdown()
        slot = nil
        notLoadedReason = reason
    }

    func apply(config: EbpfConfig) {
        let enabled = config[Reader.metricSwitch]
        if enabled != self.enabled { procfs = enabled ? Reader.Procfs() : nil }
        self.enabled = enabled
        slot?.apply(enabled: enabled)
    }

    /// Why the program gives nothing right now.
    private var unavailableReason: String {
        slot?.unavailableReason ?? notLoadedReason
    }

    func collect(into collection: inout MetricsCollection, processes: ProcessCountersReading?, procfs procfsTick: ProcfsTick) {
        guard enabled else {
            Reader.noteDisabled(in: &collection)
            return
        }
        var ebpfMissing: String?
        if let reader = slot?.attached {
            let started = Clock.threadCPUNanoseconds()
            defer { readNanoseconds = Clock.threadCPUNanoseconds() &- started }
            do throws(BPFError) {
                try reader.collect(into: &collection, processes: processes)
                Reader.noteMeasured(missingDetail: slot?.missingDetail, in: &collection)
            } catch {
                logger.warning("Reading eBPF metric area failed", metadata: ["program": "\(Reader.name)", "error": "\(error)"])
                ebpfMissing = error.description
            }
        } else {
            ebpfMissing = unavailableReason
        }
        if let ebpfMissing { Reader.noteMissing(ebpfMissing, in: &collection) }
        procfs?.collect(into: &collection, ebpfMissing: ebpfMissing, procfs: procfsTick)
    }

    var essentialFailure: BPFError? { Reader.isEssential ? slot?.failure : nil }

    var countingArea: ProcessCountingArea? { enabled && slot?.attached != nil ? Reader.countingArea : nil }

    func addCounters(to readings: inout CounterReadings) {
        guard enabled else { return }
        procfs?.addCounters(to: &readings)
        (slot?.attached as? any CounterReadingArea)?.addCounters(to: &readings)
    }

    var status: ProgramStatus {
        slot?.status ?? ProgramStatus(name: Reader.name, hook: "-", attached: false, detail: "not loaded: \(notLoadedReason)")
    }

    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        // Nothing loaded, nothing costs: `status` says why.
        slot?.overheads(kernelKeepsStatistics: kernelKeepsStatistics) ?? []
    }

    func shutdown() {
        unload(because: notLoadedReason)
    }

    var objectName: String { Reader.name }

    var metricSwitch: MetricSwitch? { Reader.metricSwitch }

    func shed(reason: String?) {
        shedReason = reason
        slot?.shed(reason: reason)
    }
}
