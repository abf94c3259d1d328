import Logging

/// Renders every record at every level, as a real handler would, and drops it: the dispatcher's log
/// metadata (privileged-call audit lines quote the params) is built and formatted for every input,
/// without the fuzzer's output filling with it.
struct DiscardingLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let line = "\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
        // Kept alive past the optimizer so the rendering is not dropped as dead code.
        withExtendedLifetime(line) {}
    }
}
