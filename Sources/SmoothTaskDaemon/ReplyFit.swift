#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskModel
import SmoothTaskProtocol

/// Keeps a reply that lists processes within one frame: rows vary from a few hundred bytes to a
/// few KiB (a long command line), so a limit on rows alone cannot promise that 1,000 of them fit
/// in ``ProtocolConstants/maxPayloadBytes``. A reply over the budget loses rows from its end, and
/// says so in its `unavailable` notes. `metrics.families` is kept within a frame the same way, by
/// whole families.
enum ReplyFit {
    /// Bytes the result may take: the frame less the largest request id echoed back and the envelope.
    static let budgetBytes = ProtocolConstants.maxPayloadBytes - JSONStructureLimit.maxRequestBytes - 1024

    /// The note's key in `unavailable`.
    static let noteKey = "rows"

    /// `value` with as many of its first rows as fit in ``budgetBytes`` once encoded.
    static func fitting<Value: Encodable, Row>(
        _ value: Value, rows: WritableKeyPath<Value, [Row]>, notes: WritableKeyPath<Value, [String: String]>,
        noteKey: String = noteKey, what: String = "rows", advice: String = "ask for fewer or filter"
    ) -> Value {
        guard let encoded = try? RPCCoding.encoder.encode(value), encoded.count > budgetBytes else { return value }
        var fitted = value
        let all = value[keyPath: rows]
        var count = all.count * budgetBytes / encoded.count
        while count > 0 {
            fitted[keyPath: rows] = Array(all.prefix(count))
            fitted[keyPath: notes][noteKey] =
                "cut to the first \(count) of \(all.count) \(what) to fit the \(ProtocolConstants.maxPayloadBytes)-byte reply frame: \(advice)"
            if let size = try? RPCCoding.encoder.encode(fitted).count, size <= budgetBytes { return fitted }
            count = count * 9 / 10
        }
        fitted[keyPath: rows] = []
        return fitted
    }
}
