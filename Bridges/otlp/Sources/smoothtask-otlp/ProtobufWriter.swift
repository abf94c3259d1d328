/// Writes the protobuf binary wire format (https://protobuf.dev/programming-guides/encoding/), the
/// few field kinds an OTLP metrics export uses: varints, fixed64, doubles, strings, nested messages
/// and packed repeated fixed64 and doubles.
///
/// Hand-written rather than generated: the bridge sends one message (``OTLPMetricsRequest``) and
/// never decodes one, and a protobuf runtime plus generated code would add minutes of cold build.
/// Fields equal to their default are still written when asked; proto3 readers accept both.
struct ProtobufWriter {
    /// The wire types this writer emits.
    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
    }

    /// The encoded message so far.
    private(set) var bytes: [UInt8] = []

    /// An unsigned varint field (uint32, uint64, bool, enum).
    mutating func varint(_ field: Int, _ value: UInt64) {
        tag(field, .varint)
        appendVarint(value)
    }

    /// A `fixed64` field (OTLP's timestamps and histogram counts).
    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, .fixed64)
        appendFixed64(value)
    }

    /// A `double` field.
    mutating func double(_ field: Int, _ value: Double) {
        fixed64(field, value.bitPattern)
    }

    /// A `string` field, UTF-8.
    mutating func string(_ field: Int, _ value: String) {
        lengthDelimited(field, Array(value.utf8))
    }

    /// An embedded message field, written by `body` into a writer of its own.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        lengthDelimited(field, nested.bytes)
    }

    /// A packed `repeated fixed64` field; nothing when `values` is empty.
    mutating func packedFixed64(_ field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        tag(field, .lengthDelimited)
        appendVarint(UInt64(values.count * 8))
        for value in values { appendFixed64(value) }
    }

    /// A packed `repeated double` field; nothing when `values` is empty.
    mutating func packedDouble(_ field: Int, _ values: [Double]) {
        packedFixed64(field, values.map(\.bitPattern))
    }

    private mutating func lengthDelimited(_ field: Int, _ payload: [UInt8]) {
        tag(field, .lengthDelimited)
        appendVarint(UInt64(payload.count))
        bytes += payload
    }

    private mutating func tag(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func appendFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
