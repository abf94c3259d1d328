import Foundation
import NIOCore
import SmoothTaskModel
import SmoothTaskProtocol

/// A `status` result encoded once for every caller who sees every process, until what it reports
/// changes (a collection, a configuration change): each reply then writes only the uptime, the one
/// member that moves in between, into the encoded bytes.
///
/// JSONEncoder over the whole status (~20 KB: the collection, every program's cost and hooks) was
/// ~0.9 ms of the daemon's ~1.5 ms answer, and `smoothtaskctl status` waited for it on every run.
struct EncodedStatus: Sendable {
    /// The status as encoded; its uptime is the encoding's.
    let status: DaemonStatus
    /// The encoding up to the uptime's value.
    private let head: [UInt8]
    /// The encoding from just after the uptime's value.
    private let tail: [UInt8]

    /// Encodes `status`; `nil` when its uptime cannot be told apart in the bytes
    /// (``uptimeValue(in:)``): such a status is encoded per request.
    init?(_ status: DaemonStatus) throws {
        let json = Array(try RPCCoding.encoder.encode(status))
        guard let value = Self.uptimeValue(in: json) else { return nil }
        self.status = status
        head = Array(json[..<value.lowerBound])
        tail = Array(json[value.upperBound...])
    }

    /// Where the `uptime_s` member's value is in `json`, a status as the encoder writes it; `nil` when
    /// that key appears more than once, as it could deeper down (a table keyed by process or cgroup
    /// names). A string value cannot imitate the key: its quotes would be escaped.
    static func uptimeValue(in json: [UInt8]) -> Range<Int>? {
        let members = json.ranges(of: uptimeKey)
        guard members.count == 1, let start = members.first?.upperBound,
            let end = json[start...].firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") })
        else { return nil }
        return start..<end
    }

    /// The result with `uptimeSeconds` in place, byte for byte what encoding the status with that
    /// uptime gives.
    func result(uptimeSeconds: Double) throws -> EncodedResult {
        var status = status
        status.uptimeSeconds = uptimeSeconds
        return EncodedResult(status, json: Data(try json(uptimeSeconds: uptimeSeconds).readableBytesView))
    }

    /// ``result(uptimeSeconds:)``'s JSON in a buffer, as the event loops send it.
    func json(uptimeSeconds: Double) throws -> ByteBuffer {
        let uptime = try RPCCoding.encoder.encode(uptimeSeconds)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.count + uptime.count + tail.count)
        buffer.writeBytes(head)
        buffer.writeBytes(uptime)
        buffer.writeBytes(tail)
        return buffer
    }

    /// ``DaemonStatus/uptimeSeconds``' key as the encoder writes it (EncodedStatusTests compare each
    /// result with a whole encoding, so a renamed key cannot go unnoticed).
    private static let uptimeKey = Array(#""uptime_s":"#.utf8)
}
