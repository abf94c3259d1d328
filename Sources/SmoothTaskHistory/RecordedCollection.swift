import Foundation
import SmoothTaskModel

/// One collection ready to be written: what the daemon collected, taken off the collection thread
/// and encoded on the writer's.
public struct RecordedCollection: Sendable {
    /// Unix epoch milliseconds of the collection (the store's key).
    public var timestamp: Int64
    /// Milliseconds its window covers.
    public var windowMilliseconds: Int64
    /// The system figures, as `metrics.get` answers them.
    public var metrics: EbpfMetrics
    /// Every process of the window, live and exited; `nil` when nothing counted per process.
    public var processes: [ProcessWindowSample]?
    /// The per-cgroup report of the same collection, if any.
    public var cgroups: CgroupsReport?
    /// Nanoseconds the process window covers (what the metrics' per-process percentages and rates
    /// divide by); with ``processes``, lets the store keep those lists as references to the rows.
    public var windowNanoseconds: UInt64?

    /// Creates a collection to record.
    public init(
        timestamp: Int64, windowMilliseconds: Int64, metrics: EbpfMetrics, processes: [ProcessWindowSample]?, cgroups: CgroupsReport?,
        windowNanoseconds: UInt64? = nil
    ) {
        self.timestamp = timestamp
        self.windowMilliseconds = windowMilliseconds
        self.metrics = metrics
        self.processes = processes
        self.cgroups = cgroups
        self.windowNanoseconds = windowNanoseconds
    }
}
