import SmoothTaskExposition

/// The start time of each counter and histogram series the bridge pushes, which OTLP cumulative
/// points carry so a backend can tell a reset from a rise.
///
/// A series starts at its family's `created` (the daemon's start, for the eBPF counters), or at boot
/// for those counting from it (/proc). A value that went down under the same `created` (a program
/// re-attached: `smoothtask_bpf_map_full_drops` has none) restarts its series at the previous push,
/// the latest time the old count was known to hold.
struct SeriesStartTimes {
    private struct Key: Hashable {
        var name: String
        var labels: [String]

        init(_ family: MetricFamily, _ sample: MetricSample) {
            name = family.name
            labels = sample.labels.flatMap { [$0.name, $0.value] }
        }
    }

    private struct Series {
        var start: UInt64
        var created: Double?
        var value: Double
        var time: UInt64
    }

    /// Unix nanoseconds of boot, the start of counters without `created`.
    let bootNanoseconds: UInt64
    private var series: [Key: Series] = [:]

    /// Start times for series counting from boot at `bootNanoseconds`.
    init(bootNanoseconds: UInt64) {
        self.bootNanoseconds = bootNanoseconds
    }

    /// Takes one push's counters and histograms as of `time` (Unix nanoseconds); series absent from
    /// `families` are forgotten.
    mutating func advance(_ families: [MetricFamily], time: UInt64) {
        var next: [Key: Series] = [:]
        for family in families where family.type != .gauge {
            for sample in family.samples {
                guard let value = sample.value ?? sample.histogram.map({ Double($0.count) }) else { continue }
                let key = Key(family, sample)
                let created = family.created.map(Self.nanoseconds) ?? bootNanoseconds
                var start = created
                if let known = series[key], known.created == family.created {
                    start = value < known.value ? known.time : known.start
                }
                next[key] = Series(start: start, created: family.created, value: value, time: time)
            }
        }
        series = next
    }

    /// The start of `sample`'s series as of the latest ``advance(_:time:)``.
    func start(_ family: MetricFamily, _ sample: MetricSample) -> UInt64 {
        series[Key(family, sample)]?.start ?? family.created.map(Self.nanoseconds) ?? bootNanoseconds
    }

    /// Unix seconds as Unix nanoseconds.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds > 0 ? UInt64((seconds * 1e9).rounded()) : 0
    }
}
