/// Why a push or the exporter's setup failed, in words that say what to check.
struct OTLPExporterError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
