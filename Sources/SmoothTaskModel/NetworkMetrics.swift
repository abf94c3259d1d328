/// Network traffic over one collection window. `EbpfMetrics.network` on the wire.
public struct NetworkMetrics: Codable, Sendable, Equatable {
    /// Every interface that carried a packet since the program was loaded; counts cover the window.
    public var interfaces: [NetworkInterfaceIO]
    /// The processes that sent and received the most bytes over IPv4/IPv6 sockets, busiest first
    /// (at most ``topProcessLimit``); `nil` when this kernel lacks the sock tracepoints (before 6.4).
    public var topProcesses: [ProcessNetworkIO]?
    /// TCP segments retransmitted system-wide in the window.
    public var tcpRetransmits: UInt64

    /// How many processes ``topProcesses`` holds at most.
    public static let topProcessLimit = 5

    /// Creates a window's network traffic.
    public init(interfaces: [NetworkInterfaceIO], topProcesses: [ProcessNetworkIO]?, tcpRetransmits: UInt64) {
        self.interfaces = interfaces
        self.topProcesses = topProcesses
        self.tcpRetransmits = tcpRetransmits
    }

    enum CodingKeys: String, CodingKey {
        case interfaces
        case topProcesses = "top_processes"
        case tcpRetransmits = "tcp_retransmits"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(interfaces, forKey: .interfaces)
        try container.encode(topProcesses, forKey: .topProcesses)
        try container.encode(tcpRetransmits, forKey: .tcpRetransmits)
    }
}
