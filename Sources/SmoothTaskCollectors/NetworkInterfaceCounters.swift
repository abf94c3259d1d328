import CSmoothTaskBPFTypes

/// One interface's totals since load: `struct network_interface_counters` of
/// bpf/network_metrics.h, imported from the header the program is compiled with.
typealias NetworkInterfaceCounters = network_interface_counters

extension NetworkInterfaceCounters: CumulativeCounters {
    func subtracting(_ earlier: NetworkInterfaceCounters) -> NetworkInterfaceCounters {
        NetworkInterfaceCounters(
            rx_bytes: rx_bytes.sinceRestartable(earlier.rx_bytes),
            rx_packets: rx_packets.sinceRestartable(earlier.rx_packets),
            tx_bytes: tx_bytes.sinceRestartable(earlier.tx_bytes),
            tx_packets: tx_packets.sinceRestartable(earlier.tx_packets)
        )
    }
}
