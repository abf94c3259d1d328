import CSmoothTaskBPFTypes

/// One process's IPv4/IPv6 socket traffic since load: `struct network_process_counters` of
/// bpf/network_metrics.h, imported from the header the program is compiled with.
typealias NetworkProcessCounters = network_process_counters

extension NetworkProcessCounters: CumulativeCounters {
    func subtracting(_ earlier: NetworkProcessCounters) -> NetworkProcessCounters {
        NetworkProcessCounters(
            sent_bytes: sent_bytes.sinceRestartable(earlier.sent_bytes),
            received_bytes: received_bytes.sinceRestartable(earlier.received_bytes),
            send_calls: send_calls.sinceRestartable(earlier.send_calls),
            receive_calls: receive_calls.sinceRestartable(earlier.receive_calls)
        )
    }
}
