import SmoothTaskModel

/// A collection's metrics as a `metrics_lists = 1` row stores them: the answer without the lists
/// ``lists`` refers to the process rows for.
struct StoredMetrics: Codable {
    var metrics: EbpfMetrics
    var lists: ProcessListsRecord
}
