import SmoothTaskModel

extension MetricCatalog {
    /// The cumulative families: counters and histograms `rate()`, `increase()` and
    /// `histogram_quantile()` work on, named from each area's ``MetricSwitch/familyPrefix``.
    /// Those counting from boot (/proc) have no `_created`; the eBPF ones count from the daemon's
    /// start (``CounterExport/createdSeconds``).
    static func counterFamilies(_ export: CounterExport) -> [MetricFamily] {
        guard let readings = export.readings else { return [] }
        let created = export.createdSeconds
        var families: [MetricFamily] = []

        // CPU
        families.append(MetricFamily(
            name: MetricSwitch.cpu.family("seconds"),
            help: "CPU time per CPU and mode since boot, from /proc/stat (as node_cpu_seconds_total).",
            type: .counter, unit: "seconds",
            samples: perCPU(readings.cpuModeSeconds, labelName: "mode", order: cpuModes)
        ))
        families.append(MetricFamily(
            name: MetricSwitch.cpu.family("sched_seconds"),
            help: "CPU time per CPU running a task (state=busy) or the idle task (state=idle), measured by eBPF at each context switch.",
            type: .counter, unit: "seconds",
            samples: perCPU(readings.cpuSchedSeconds, labelName: "state", order: ["busy", "idle"]), created: created
        ))

        // Syscalls
        if readings.syscalls != nil {
            families.append(MetricFamily(
                name: MetricSwitch.syscalls.familyPrefix,
                help: "Syscalls that returned, by name: the \(CounterExport.syscallSeriesLimit) most frequent have their own series, syscall=\"other\" sums the rest.",
                type: .counter, samples: selected(export.syscalls, label: "syscall"), created: created
            ))
        }
        if readings.syscallFailures != nil {
            families.append(MetricFamily(
                name: MetricSwitch.syscalls.family("failed"),
                help: "Syscalls that returned an error, by errno: the \(CounterExport.errnoSeriesLimit) most frequent have their own series, errno=\"other\" sums the rest.",
                type: .counter, samples: selected(export.failures, label: "errno"), created: created
            ))
        }

        // Memory events and PSI
        families.append(counter(
            MetricSwitch.memory.family("user_page_faults"), "User-mode page faults (minor and major), system-wide.",
            readings.userFaults.map { Double($0) }, created: created
        ))
        families.append(counter(
            MetricSwitch.memory.family("reclaim_stalls"), "Direct-reclaim stalls: allocations that had to free memory first.",
            readings.reclaimStalls.map { Double($0) }, created: created
        ))
        families.append(counter(
            MetricSwitch.memory.family("reclaim_stall_seconds"), "Time tasks spent stalled in direct reclaim.",
            readings.reclaimStallNanoseconds.map { Double($0) / 1e9 }, unit: "seconds", created: created
        ))
        families.append(counter(
            MetricSwitch.memory.family("oom_kills"), "Processes killed by the kernel's OOM killer (as node_vmstat_oom_kill).",
            readings.oomKills.map { Double($0) }, created: created
        ))
        families.append(MetricFamily(
            name: "smoothtask_pressure_waiting_seconds",
            help: "PSI: time at least one task stalled on the resource (the some line of /proc/pressure), since boot.",
            type: .counter, unit: "seconds",
            samples: readings.pressure.map {
                MetricSample(Double($0.someMicroseconds) / 1e6, labels: [MetricLabel("resource", $0.resource)])
            }
        ))
        families.append(MetricFamily(
            name: "smoothtask_pressure_stalled_seconds",
            help: "PSI: time every non-idle task stalled on the resource at once (the full line of /proc/pressure), since boot.",
            type: .counter, unit: "seconds",
            samples: readings.pressure.compactMap { pressure in
                pressure.fullMicroseconds.map {
                    MetricSample(Double($0) / 1e6, labels: [MetricLabel("resource", pressure.resource)])
                }
            }
        ))

        // Disk
        let disks = readings.disks ?? []
        func perDisk(_ value: (CounterReadings.Disk) -> Double) -> [MetricSample] {
            disks.map { MetricSample(value($0), labels: [MetricLabel("device", $0.name)]) }
        }
        families += [
            MetricFamily(name: MetricSwitch.disk.family("reads_completed"), help: "Read requests completed per disk.",
                         type: .counter, samples: perDisk { Double($0.readRequests) }, created: created),
            MetricFamily(name: MetricSwitch.disk.family("writes_completed"), help: "Write requests completed per disk.",
                         type: .counter, samples: perDisk { Double($0.writeRequests) }, created: created),
            MetricFamily(name: MetricSwitch.disk.family("other_requests_completed"),
                         help: "Other requests completed per disk: flush, discard, write-zeroes and the like.",
                         type: .counter, samples: perDisk { Double($0.otherRequests) }, created: created),
            MetricFamily(name: MetricSwitch.disk.family("read_bytes"), help: "Bytes read per disk.",
                         type: .counter, unit: "bytes", samples: perDisk { Double($0.readBytes) }, created: created),
            MetricFamily(name: MetricSwitch.disk.family("written_bytes"), help: "Bytes written per disk.",
                         type: .counter, unit: "bytes", samples: perDisk { Double($0.writeBytes) }, created: created),
            MetricFamily(
                name: MetricSwitch.disk.family("request_time_seconds"),
                help: "Issue-to-completion time summed over every request per disk (reads, writes, flushes, discards).",
                type: .counter, unit: "seconds", samples: perDisk { Double($0.latency.sumNanoseconds) / 1e9 }, created: created
            ),
            MetricFamily(
                name: MetricSwitch.disk.family("request_duration_seconds"),
                help: "Issue-to-completion time of each request per disk, in the kernel's log2 buckets.",
                type: .histogram, unit: "seconds",
                samples: disks.map { MetricSample($0.latency.exposition, labels: [MetricLabel("device", $0.name)]) },
                created: created
            ),
        ]

        // Network
        let interfaces = readings.interfaces ?? []
        func perInterface(_ value: (CounterReadings.Interface) -> UInt64) -> [MetricSample] {
            interfaces.map { MetricSample(Double(value($0)), labels: [MetricLabel("device", $0.name)]) }
        }
        families += [
            MetricFamily(name: MetricSwitch.network.family("received_bytes"), help: "Bytes received per interface, link-layer header included.",
                         type: .counter, unit: "bytes", samples: perInterface(\.receivedBytes), created: created),
            MetricFamily(name: MetricSwitch.network.family("sent_bytes"), help: "Bytes sent per interface, link-layer header included.",
                         type: .counter, unit: "bytes", samples: perInterface(\.sentBytes), created: created),
            MetricFamily(name: MetricSwitch.network.family("received_packets"), help: "Packets received per interface (a GRO super-packet counts once).",
                         type: .counter, samples: perInterface(\.receivedPackets), created: created),
            MetricFamily(name: MetricSwitch.network.family("sent_packets"), help: "Packets sent per interface (a TSO super-packet counts once).",
                         type: .counter, samples: perInterface(\.sentPackets), created: created),
            counter(MetricSwitch.network.family("tcp_retransmits"), "TCP segments retransmitted, system-wide.",
                    readings.tcpRetransmits.map { Double($0) }, created: created),
        ]

        // Run-queue wait
        families.append(MetricFamily(
            name: MetricSwitch.schedLatency.family("seconds"),
            help: "Run-queue wait: time from a task becoming runnable to running, in the kernel's log2 buckets.",
            type: .histogram, unit: "seconds",
            samples: readings.runQueueWait.map { [MetricSample($0.exposition)] } ?? [], created: created
        ))

        // Cgroups
        if export.hasCgroups {
            families.append(MetricFamily(
                name: MetricSwitch.cgroups.family("cpu_seconds"),
                help: "CPU time per cgroup (v2): the prometheus_cgroup_limit busiest have their own series, cgroup=\"other\" sums the rest.",
                type: .counter, unit: "seconds", samples: selected(export.cgroups, label: "cgroup", scale: 1e-9), created: created
            ))
            families.append(MetricFamily(
                name: MetricSwitch.cgroups.family("unit_cpu_seconds"),
                help: "CPU time per systemd unit: the prometheus_cgroup_limit busiest have their own series, unit=\"other\" sums the rest.",
                type: .counter, unit: "seconds", samples: selected(export.units, label: "unit", scale: 1e-9), created: created
            ))
        }
        return families
    }

    /// /proc/stat's modes in its own column order.
    static let cpuModes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]

    private static func perCPU(_ values: [Int: [String: Double]]?, labelName: String, order: [String]) -> [MetricSample] {
        guard let values else { return [] }
        return values.keys.sorted().flatMap { cpu in
            order.compactMap { key in
                values[cpu]?[key].map { MetricSample($0, labels: [MetricLabel("cpu", "\(cpu)"), MetricLabel(labelName, key)]) }
            }
        }
    }

    /// The listed series, then `other` (always, so the family's sum is the whole).
    private static func selected(_ selection: SeriesSelection, label: String, scale: Double = 1) -> [MetricSample] {
        selection.series.map { MetricSample(Double($0.count) * scale, labels: [MetricLabel(label, $0.key)]) }
            + [MetricSample(Double(selection.other) * scale, labels: [MetricLabel(label, CounterExport.otherLabel)])]
    }

    private static func counter(_ name: String, _ help: String, _ value: Double?, unit: String? = nil, created: Double?) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .counter, unit: unit, samples: value.map { [MetricSample($0)] } ?? [], created: created)
    }
}
