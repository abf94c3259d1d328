#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension EbpfConfig: CustomStringConvertible {
    /// The configuration as `config.get` shows it, on one line: what the daemon's log quotes for a
    /// change. Its wire form is a third of Swift's default description, so a change is always
    /// logged whole within the log's quoting bound.
    public var description: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let encoded = try? encoder.encode(self) else { return "EbpfConfig(not encodable)" }
        return String(decoding: encoded, as: UTF8.self)
    }
}
