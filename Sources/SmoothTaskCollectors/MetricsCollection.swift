import SmoothTaskModel

/// One collection of every metric area: what `metrics.get` answers and the per-cgroup report of
/// `cgroups.top`, taken together by ``EbpfMetricsCollector/collect()``.
///
/// Areas write the ``metrics`` fields through it directly (`collection.cpuUsage = ...`).
@dynamicMemberLookup
public struct MetricsCollection: Sendable {
    /// The system figures, per-process lists, `sources` and `unavailable`.
    public var metrics: EbpfMetrics
    /// CPU time per cgroup over the window, or why there is none.
    public var cgroups: CgroupsReport
    /// Events each BPF map could not record because it was full, since load (`cgroup_cpu` intervals);
    /// only the maps read in this collection.
    public var mapFullDrops: [String: UInt64] = [:]

    init(metrics: EbpfMetrics) {
        self.metrics = metrics
        cgroups = CgroupsReport(
            by: .cgroup, cgroups: nil, timestamp: metrics.timestamp, windowMilliseconds: 0, source: .unavailable,
            unavailable: "not collected"
        )
    }

    /// A field of ``metrics``, read and written in place.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<EbpfMetrics, Value>) -> Value {
        get { metrics[keyPath: keyPath] }
        set { metrics[keyPath: keyPath] = newValue }
    }
}
