import SmoothTaskModel

/// A ``MetricAreaReader`` whose cumulative counters the Prometheus exposition exports: it adds
/// them, as of its latest collection, to a ``CounterReadings``.
protocol CounterReadingArea {
    /// Puts the reader's totals since load into `readings`.
    func addCounters(to readings: inout CounterReadings)
}

extension DiskMetricsProgram: CounterReadingArea {
    func addCounters(to readings: inout CounterReadings) {
        readings.disks = previousDevices.sorted { $0.key < $1.key }.map { dev, counters in
            let (major, minor) = BlockDeviceName.split(dev)
            return CounterReadings.Disk(
                name: BlockDeviceName.name(major: major, minor: minor),
                readRequests: counters.read_requests, writeRequests: counters.write_requests,
                otherRequests: counters.other_requests,
                readBytes: counters.read_bytes, writeBytes: counters.write_bytes,
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

extension MetricArea: CounterReadingArea where Reader: CounterReadingArea {
    /// Adds nothing while the area is switched off or not attached, so its families disappear
    /// rather than freeze.
    func addCounters(to readings: inout CounterReadings) {
        guard slot.enabled, let reader = slot.attached else { return }
        reader.addCounters(to: &readings)
    }
}
