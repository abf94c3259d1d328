import SmoothTaskModel

/// Every metric family SmoothTask exports, built from one ``ExportInput``; docs/metrics.md lists
/// them. Percentages become base-unit ratios (0...1) and milliseconds become seconds.
///
/// Cardinality is bounded by design: no pid labels; per-CPU series (one per CPU and mode), one per
/// disk and interface the kernel has seen, and the labelled counters whose keys come and go
/// (syscalls, errnos, cgroups, units) limited to their top K plus one `other` series
/// (``SeriesSelection``).
public enum MetricCatalog {
    /// The families for `input`; a metric that is not available has no samples and is left out.
    public static func families(from input: ExportInput) -> [MetricFamily] {
        collectionFamilies(from: input)
            + [scrapeDurationFamily(input.scrapeDurations, created: input.daemonStartTimeSeconds)].filter { !$0.samples.isEmpty }
    }

    /// ``families(from:)`` but the last, `smoothtask_scrape_duration_seconds`: everything that
    /// changes only with a collection or a configuration change, which the endpoint renders once
    /// and reuses for every scrape until then (``ExpositionEncoder/encode(_:after:as:)``).
    public static func collectionFamilies(from input: ExportInput) -> [MetricFamily] {
        let status = input.status
        let metrics = status.metrics
        var families: [MetricFamily] = [
            MetricFamily(
                name: "smoothtask_build_info", help: "SmoothTask version and protocol version; always 1.", type: .gauge,
                samples: [MetricSample(1, labels: [
                    MetricLabel("version", status.version), MetricLabel("protocol_version", "\(status.protocolVersion)"),
                ])]
            ),
            gauge("smoothtask_cpu_usage_ratio", "Share of all CPUs busy over the last collection window, 0 to 1.",
                  unit: "ratio", metrics.cpuUsage.map { $0 / 100 }),
            MetricFamily(
                name: "smoothtask_cpu_core_usage_ratio", help: "Share of each CPU busy over the last collection window, 0 to 1.",
                type: .gauge, unit: "ratio",
                samples: (metrics.cpuPerCore ?? []).enumerated().map { MetricSample($1 / 100, labels: [MetricLabel("cpu", "\($0)")]) }
            ),
            gauge("smoothtask_memory_used_bytes", "Memory in use system-wide: MemTotal - MemAvailable.",
                  unit: "bytes", metrics.memoryUsage.map { Double($0) }),
            gauge("smoothtask_memory_total_bytes", "Memory installed: MemTotal.", unit: "bytes", metrics.memoryTotal.map { Double($0) }),
            gauge("smoothtask_collection_window_seconds", "Time the latest collection's rates and ratios cover.",
                  unit: "seconds", Double(metrics.windowMilliseconds) / 1000),
            gauge("smoothtask_collection_timestamp_seconds", "Unix time of the latest collection.",
                  unit: "seconds", Double(metrics.timestamp) / 1000),
            gauge("smoothtask_collection_interval_seconds", "Configured time between collections.",
                  unit: "seconds", Double(status.config.collectionIntervalMilliseconds) / 1000),
            MetricFamily(
                name: "smoothtask_metric_source", help: "Where each metric comes from (ebpf, procfs, disabled, unavailable); always 1.",
                type: .gauge,
                samples: metrics.sources.sorted { $0.key < $1.key }.map {
                    MetricSample(1, labels: [MetricLabel("metric", $0.key), MetricLabel("source", $0.value.rawValue)])
                }
            ),
            gauge("smoothtask_ebpf_supported", "1 if the daemon runs its eBPF programs, 0 if it serves from /proc only.",
                  status.ebpf.support.supported ? 1 : 0),
            MetricFamily(
                name: "smoothtask_bpf_program_attached", help: "1 while the eBPF program is attached, 0 otherwise.", type: .gauge,
                samples: status.ebpf.programs.map {
                    MetricSample($0.attached ? 1 : 0, labels: [MetricLabel("program", $0.name), MetricLabel("hook", $0.hook)])
                }
            ),
            MetricFamily(
                name: "smoothtask_bpf_map_full_drops", help: "Events an eBPF program could not record because its map was full.",
                type: .counter,
                samples: input.mapFullDrops.sorted { $0.key < $1.key }.map {
                    MetricSample(Double($0.value), labels: [MetricLabel("program", $0.key)])
                }
            ),
            MetricFamily(
                name: "smoothtask_daemon_cpu_seconds", help: "CPU time (user + system) smoothtaskd has used.", type: .counter,
                unit: "seconds", samples: input.daemonCPUSeconds.map { [MetricSample($0)] } ?? [],
                created: input.daemonStartTimeSeconds
            ),
            gauge("smoothtask_daemon_resident_memory_bytes", "Resident memory of smoothtaskd.",
                  unit: "bytes", input.daemonResidentBytes.map { Double($0) }),
            gauge("smoothtask_daemon_start_time_seconds", "Unix time smoothtaskd started.", unit: "seconds", input.daemonStartTimeSeconds),
        ]
        if let counters = input.counters { families += counterFamilies(counters) }
        if let budget = input.budget { families += budgetFamilies(budget) }
        // Both count from the daemon's start: their `_created`, the start of their OTLP series.
        families.append(histogram(
            "smoothtask_collection_duration_seconds", "Time one collection took.", input.collectionDurations,
            created: input.daemonStartTimeSeconds
        ))
        return families.filter { !$0.samples.isEmpty }
    }

    /// The scrapes' own histogram, the last family (it changes with every scrape); counts from the
    /// daemon's start (`created`), like the collections'.
    public static func scrapeDurationFamily(_ snapshot: HistogramSnapshot?, created: Double?) -> MetricFamily {
        histogram("smoothtask_scrape_duration_seconds", "Time earlier scrapes of this endpoint took to render.", snapshot, created: created)
    }

    private static func gauge(_ name: String, _ help: String, unit: String? = nil, _ value: Double?) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .gauge, unit: unit, samples: value.map { [MetricSample($0)] } ?? [])
    }

    private static func histogram(_ name: String, _ help: String, _ snapshot: HistogramSnapshot?, created: Double?) -> MetricFamily {
        MetricFamily(
            name: name, help: help, type: .histogram, unit: "seconds", samples: snapshot.map { [MetricSample($0)] } ?? [],
            created: created
        )
    }
}
