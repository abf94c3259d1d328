import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// Drives one ``MetricAreaReader`` through its ``ProgramSlot`` and puts its window into each
/// collection, or says in `sources`/`unavailable` why there is none, while the other areas keep working.
final class MetricArea<Reader: MetricAreaReader>: EbpfMetricArea {
    private let logger: Logger
    let slot: ProgramSlot<Reader>

    /// Loads the area's object; a failure is kept and reported, not thrown.
    init(loader: ProgramLoader) {
        self.logger = loader.logger
        slot = ProgramSlot(loader: loader)
    }

    func apply(config: EbpfConfig) {
        slot.apply(config: config)
    }

    func collect(into metrics: inout EbpfMetrics) {
        let name = Reader.metricName
        guard slot.enabled else {
            metrics.sources[name] = .disabled
            metrics.unavailable[name] = Reader.metricSwitch.disabledReason
            return
        }
        guard let reader = slot.attached else {
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = slot.unavailableReason
            return
        }
        do throws(BPFError) {
            metrics[keyPath: Reader.output] = try reader.collect()
            metrics.sources[name] = .ebpf
            if let missing = slot.missingDetail { metrics.unavailable[name] = missing }
        } catch {
            logger.warning("Reading eBPF metric area failed", metadata: ["program": "\(Reader.name)", "error": "\(error)"])
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = error.description
        }
    }

    var countingArea: ProcessCountingArea? { slot.attached == nil ? nil : Reader.countingArea }

    var status: ProgramStatus { slot.status }

    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        slot.overheads(kernelKeepsStatistics: kernelKeepsStatistics)
    }

    func shutdown() {
        slot.shutdown()
    }

    var objectName: String { slot.objectName }

    var metricSwitch: MetricSwitch? { slot.metricSwitch }

    func shed(reason: String?) {
        slot.shed(reason: reason)
    }
}
