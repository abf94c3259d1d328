/// Swift mirror of `struct network_process_counters` in bpf/network_metrics.h: one process's
/// IPv4/IPv6 socket traffic since load. A test compares its size with the C struct's.
struct NetworkProcessCounters: BitwiseCopyable, Equatable, CumulativeCounters {
    var sentBytes: UInt64 = 0
    var receivedBytes: UInt64 = 0
    var sendCalls: UInt64 = 0
    var receiveCalls: UInt64 = 0

    func subtracting(_ earlier: NetworkProcessCounters) -> NetworkProcessCounters {
        NetworkProcessCounters(
            sentBytes: sentBytes.sinceRestartable(earlier.sentBytes),
            receivedBytes: receivedBytes.sinceRestartable(earlier.receivedBytes),
            sendCalls: sendCalls.sinceRestartable(earlier.sendCalls),
            receiveCalls: receiveCalls.sinceRestartable(earlier.receiveCalls)
        )
    }
}
