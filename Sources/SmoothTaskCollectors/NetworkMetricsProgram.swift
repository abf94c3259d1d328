#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/network_metrics.bpf.c`: traffic per interface and per process, TCP retransmits.
final class NetworkMetricsProgram: FieldAreaReader {
    static let name = "network_metrics"
    static let metricSwitch = MetricSwitch.network
    static let countingArea: ProcessCountingArea? = .network
    static var output: WritableKeyPath<EbpfMetrics, NetworkMetrics?> { \.network }
    private static let perProcessLoss = "no per-process traffic (the sock tracepoints arrived in Linux 6.4)"

    let group: TracepointProgramGroup
    var programs: BPFLinkSet { group.programs }
    var missingHooks: [TracepointHook] { group.missingHooks }
    private let interfaces: BPFMap
    private let retransmits: BPFMap
    private(set) var previousInterfaces: [UInt32: NetworkInterfaceCounters] = [:]
    private(set) var previousRetransmits: UInt64 = 0

    init(loader: ProgramLoader) throws(BPFError) {
        group = try TracepointProgramGroup(
            name: Self.name, elfBytes: EmbeddedBPFObject.networkMetrics.elfBytes,
            hooks: [
                TracepointHook(program: "count_send", tracepoint: "sock_send_length", lossWhenMissing: Self.perProcessLoss),
                TracepointHook(program: "count_receive", tracepoint: "sock_recv_length", lossWhenMissing: Self.perProcessLoss),
                TracepointHook(program: "count_transmit", tracepoint: "net_dev_xmit"),
                TracepointHook(program: "count_receive_packet", tracepoint: "netif_receive_skb"),
                TracepointHook(program: "count_retransmit", tracepoint: "tcp_retransmit_skb"),
            ],
            loader: loader
        )
        interfaces = try group.object.map(named: "interfaces")
        retransmits = try group.object.map(named: "tcp_retransmits")
    }

    func attach() throws(BPFError) {
        try group.attach()
        previousInterfaces = try interfaces.entries(keyType: UInt32.self, valueType: NetworkInterfaceCounters.self)
        previousRetransmits = try retransmitTotal()
    }

    func collect() throws(BPFError) -> NetworkMetrics {
        let interfaceCounters = try interfaces.entries(keyType: UInt32.self, valueType: NetworkInterfaceCounters.self)
        let retransmitted = try retransmitTotal()
        defer {
            previousInterfaces = interfaceCounters
            previousRetransmits = retransmitted
        }
        let perInterface = interfaceCounters.sorted { $0.key < $1.key }.map { index, counters in
            let window = previousInterfaces[index].map { counters.subtracting($0) } ?? counters
            return NetworkInterfaceIO(
                name: Self.interfaceName(index), index: index, rxBytes: window.rx_bytes, rxPackets: window.rx_packets,
                txBytes: window.tx_bytes, txPackets: window.tx_packets
            )
        }
        let perProcessMeasured = !group.missingHooks.contains { $0.tracepoint.hasPrefix("sock_") }
        return NetworkMetrics(
            interfaces: perInterface,
            // Filled by the collector from its one per-process window (ProcessLedger), exits included;
            // nil says this kernel cannot count per process.
            topProcesses: perProcessMeasured ? [] : nil,
            tcpRetransmits: retransmitted.sinceRestartable(previousRetransmits)
        )
    }

    private func retransmitTotal() throws(BPFError) -> UInt64 {
        try retransmits.perCPUValues(at: UInt32(0), as: UInt64.self).reduce(0, &+)
    }

    /// The interface's name in this process's network namespace, or `if<index>`.
    static func interfaceName(_ index: UInt32) -> String {
        InterfaceNames.name(of: index) ?? "if\(index)"
    }
}
