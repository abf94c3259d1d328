import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// Drives one ``MetricAreaReader``: loads it once, attaches and detaches it as its switch says, and
/// reports a load, attach or read failure in the metrics and in `status` while the other areas keep
/// working.
final class MetricArea<Reader: MetricAreaReader>: EbpfMetricArea {
    private let logger: Logger
    private var reader: Reader?
    private var failure: BPFError?
    private var enabled = false

    /// Loads the area's object; a failure is kept and reported, not thrown.
    init(logger: Logger) {
        self.logger = logger
        do throws(BPFError) {
            reader = try Reader(logger: logger)
        } catch {
            failure = error
            logger.warning("eBPF metric area unavailable", metadata: [
                "program": "\(Reader.name)", "error": "\(error)", "remedy": "\(error.remedy)",
            ])
        }
    }

    func apply(config: EbpfConfig) {
        enabled = config[keyPath: Reader.enabled]
        guard let reader else { return }
        if enabled, !reader.group.isAttached {
            do throws(BPFError) {
                try reader.attach()
                failure = nil
            } catch {
                reader.group.detach()
                failure = error
                logger.warning("Attaching eBPF metric area failed", metadata: ["program": "\(Reader.name)", "error": "\(error)"])
            }
        } else if !enabled {
            reader.group.detach()
        }
    }

    func collect(into metrics: inout EbpfMetrics) {
        let name = Reader.metricName
        guard enabled else {
            metrics.sources[name] = .disabled
            metrics.unavailable[name] = "disabled by \(Reader.switchName)=false"
            return
        }
        guard let reader, reader.group.isAttached else {
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = failure?.description ?? "not attached"
            return
        }
        do throws(BPFError) {
            metrics[keyPath: Reader.output] = try reader.collect()
            metrics.sources[name] = .ebpf
            if let missing = missingDetail(reader) { metrics.unavailable[name] = missing }
        } catch {
            logger.warning("Reading eBPF metric area failed", metadata: ["program": "\(Reader.name)", "error": "\(error)"])
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = error.description
        }
    }

    var status: ProgramStatus {
        let hooks = reader?.group.hookDescription ?? "-"
        guard let reader, reader.group.isAttached else {
            let detail = failure?.description ?? (enabled ? "not attached" : "disabled by \(Reader.switchName)=false")
            return ProgramStatus(name: Reader.name, hook: hooks, attached: false, detail: detail)
        }
        return ProgramStatus(name: Reader.name, hook: hooks, attached: true, detail: missingDetail(reader))
    }

    func shutdown() {
        reader?.group.detach()
        reader = nil
    }

    /// What the area lacks on this kernel although it runs, e.g. a tracepoint added in a later release.
    private func missingDetail(_ reader: Reader) -> String? {
        let missing = reader.group.missingHooks
        guard !missing.isEmpty else { return nil }
        return missing.map { "no \($0.tracepoint) tracepoint on this kernel: \($0.lossWhenMissing ?? "")" }
            .joined(separator: "; ")
    }
}
