import Foundation

/// One collection's row of the `collection` table, its blobs encoded.
struct EncodedCollection {
    /// A blob and, when it is zlib-compressed, its expanded size (`nil`: stored as is, compression did not pay).
    struct Blob {
        var data: Data
        var size: Int?

        /// `raw` compressed by `compressor` (against `dictionary` if given) when that saves at least an eighth.
        init(_ raw: Data, dictionary: Data? = nil, compressor: DeflateStream) throws(HistoryError) {
            let compressed = try compressor.compress(raw, dictionary: dictionary)
            if compressed.count * 8 < raw.count * 7 {
                data = compressed
                size = raw.count
            } else {
                data = raw
                size = nil
            }
        }
    }

    /// How a collection's metrics blob is encoded (the `metrics_format` column).
    enum Format: Int64 {
        /// `JSONEncoder`'s output; `NULL` in the column (every row before schema 6).
        case json = 0
        /// ``CompactEncoder``'s.
        case compact = 1
    }

    var timestamp: Int64
    var windowMilliseconds: Int64
    var metrics: Blob
    /// The collection whose metrics JSON `metrics` was compressed against (`nil`: on its own).
    var metricsBase: Int64?
    /// `metrics` is a ``StoredMetrics``: its per-process lists are rebuilt from `processes`.
    var metricsHoldLists = false
    var metricsFormat = Format.json
    var processes: Blob?
    var cgroups: Blob?
    var cgroupsSource: String?
    var cgroupsNote: String?
}
