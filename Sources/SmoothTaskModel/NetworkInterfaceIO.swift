/// One network interface's traffic over a collection window, counted as /sys/class/net/IF/statistics
/// counts it: bytes include the link-layer header, and a TSO/GRO super-packet counts as one packet.
public struct NetworkInterfaceIO: Codable, Sendable, Equatable {
    /// Interface name, e.g. `lo` or `eth0`, or `if<index>` when it no longer exists (or lives in
    /// another network namespace).
    public var name: String
    /// The kernel's interface index.
    public var index: UInt32
    /// Bytes received.
    public var rxBytes: UInt64
    /// Packets received.
    public var rxPackets: UInt64
    /// Bytes sent.
    public var txBytes: UInt64
    /// Packets sent.
    public var txPackets: UInt64

    /// Creates an interface's figures.
    public init(name: String, index: UInt32, rxBytes: UInt64, rxPackets: UInt64, txBytes: UInt64, txPackets: UInt64) {
        self.name = name
        self.index = index
        self.rxBytes = rxBytes
        self.rxPackets = rxPackets
        self.txBytes = txBytes
        self.txPackets = txPackets
    }

    enum CodingKeys: String, CodingKey {
        case name, index
        case rxBytes = "rx_bytes"
        case rxPackets = "rx_packets"
        case txBytes = "tx_bytes"
        case txPackets = "tx_packets"
    }
}
