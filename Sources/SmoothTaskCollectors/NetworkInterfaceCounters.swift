/// Swift mirror of `struct network_interface_counters` in bpf/network_metrics.h: one interface's
/// totals since load. A test compares its size with the C struct's.
struct NetworkInterfaceCounters: BitwiseCopyable, Equatable, CumulativeCounters {
    var rxBytes: UInt64 = 0
    var rxPackets: UInt64 = 0
    var txBytes: UInt64 = 0
    var txPackets: UInt64 = 0

    func subtracting(_ earlier: NetworkInterfaceCounters) -> NetworkInterfaceCounters {
        NetworkInterfaceCounters(
            rxBytes: rxBytes.sinceRestartable(earlier.rxBytes),
            rxPackets: rxPackets.sinceRestartable(earlier.rxPackets),
            txBytes: txBytes.sinceRestartable(earlier.txBytes),
            txPackets: txPackets.sinceRestartable(earlier.txPackets)
        )
    }
}
