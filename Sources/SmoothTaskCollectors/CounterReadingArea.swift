import SmoothTaskModel

/// A ``MetricAreaReader`` whose cumulative counters the Prometheus exposition exports: it adds
/// them, as of its latest collection, to a ``CounterReadings``.
protocol CounterReadingArea {
    /// Puts the reader's totals since load into `readings`.
    func addCounters(to readings: inout CounterReadings)
}

extension CPUMetricsProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        guard let previous else { return }
        var perCPU: [Int: [String: Double]] = [:]
        for (cpu, time) in previous.perCPU.enumerated() where time.busyNanoseconds + time.idleNanoseconds > 0 {
            perCPU[cpu] = ["busy": Double(time.busyNanoseconds) / 1e9, "idle": Double(time.idleNanoseconds) / 1e9]
        }
        readings.cpuSchedSeconds = perCPU
    }
}

extension SyscallCounterProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        guard let snapshot = previousSnapshot else { return }
        var byName: [String: UInt64] = [:]
        for (id, count) in snapshot.perSyscall.enumerated() where count > 0 {
            byName[SyscallTable.name(of: UInt32(id)) ?? "syscall_\(id)", default: 0] += count
        }
        var byErrno: [String: UInt64] = [:]
        for (key, count) in snapshot.failures where count > 0 {
            byErrno[SyscallTable.errnoName(of: key.error) ?? "E\(key.error)", default: 0] += count
        }
        readings.syscalls = byName
        readings.syscallFailures = byErrno
    }
}

extension MemoryEventsProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        guard let events = previous else { return }
        readings.userFaults = events.totals.user_faults
        readings.reclaimStalls = events.totals.reclaim_stalls
        readings.reclaimStallNanoseconds = events.totals.reclaim_ns
        readings.oomKills = events.oomKills
    }
}

extension DiskMetricsProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        readings.disks = previousDevices.sorted { $0.key < $1.key }.map { dev, counters in
            let requests = Self.requests(of: dev, from: statisticsAtAttach, to: previousStatistics, programCounted: counters)
            let (major, minor) = BlockDeviceName.split(dev)
            return CounterReadings.Disk(
                name: BlockDeviceName.name(major: major, minor: minor),
                readRequests: requests.readRequests, writeRequests: requests.writeRequests,
                otherRequests: requests.otherRequests,
                readBytes: requests.readBytes, writeBytes: requests.writeBytes,
                latency: Log2HistogramSlots(counters.latency).histogram()
            )
        }
    }
}

extension NetworkMetricsProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        readings.interfaces = previousInterfaces.sorted { $0.key < $1.key }.map { index, counters in
            CounterReadings.Interface(
                name: Self.interfaceName(index), receivedBytes: counters.rx_bytes, receivedPackets: counters.rx_packets,
                sentBytes: counters.tx_bytes, sentPackets: counters.tx_packets
            )
        }
        readings.tcpRetransmits = previousRetransmits
    }
}

extension SchedLatencyProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        readings.runQueueWait = previousSystem.histogram()
    }
}
