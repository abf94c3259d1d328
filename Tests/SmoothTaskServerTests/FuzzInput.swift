import Foundation
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskTestSupport

/// Byte streams for the fuzz test: well-formed requests, the same mutated, random JSON, random
/// bytes, deep nesting, and headers that lie about their length.
enum FuzzInput {
    /// Method names worth hitting, real and near misses.
    static let methods = Method.allCases.map(\.rawValue) + ["", "Status", "config.set ", "rpc.", "metrics.get\u{0}"]
    /// Params keys the handlers read, plus near misses. (`delay_ms` is left out: it makes the test handler sleep.)
    static let keys = EbpfConfigPatch.keyNames + ["interval_ms", "groups", "every_ms", "tag", "jsonrpc", "id", "", "enable_cpu_metric"]

    /// One connection's worth of input: one to three frames, most with an honest header.
    static func stream(using random: inout SeededGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let body = payload(using: &random)
            let length: UInt32 = switch Int.random(in: 0..<10, using: &random) {
            case 0: UInt32.random(in: 0...UInt32.max, using: &random)
            case 1: UInt32(body.count) &+ UInt32.random(in: 1...8, using: &random)
            default: UInt32(body.count)
            }
            bytes += withUnsafeBytes(of: length.bigEndian, Array.init) + body
        }
        if Int.random(in: 0..<10, using: &random) == 0 {
            bytes.removeLast(Int.random(in: 0...min(bytes.count, 6), using: &random))
        }
        return bytes
    }

    private static func payload(using random: inout SeededGenerator) -> [UInt8] {
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            return (0..<Int.random(in: 0...48, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1:
            let depth = Int.random(in: 1...3000, using: &random)
            let open = Bool.random(using: &random) ? "[" : #"{"a":"#
            return Array((String(repeating: open, count: depth) + "1").utf8)
        case 2:
            return mutate(request(using: &random), using: &random)
        case 3:
            return encode(value(depth: 0, using: &random))
        default:
            return request(using: &random)
        }
    }

    /// A request object with a random id, method and params, as JSON.
    private static func request(using random: inout SeededGenerator) -> [UInt8] {
        var envelope: [String: JSONValue] = ["jsonrpc": .string("2.0")]
        if Int.random(in: 0..<8, using: &random) > 0 { envelope["id"] = scalar(using: &random) }
        envelope["method"] = Int.random(in: 0..<10, using: &random) > 0
            ? .string(methods.randomElement(using: &random)!) : scalar(using: &random)
        if Bool.random(using: &random) {
            var params: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                params[keys.randomElement(using: &random)!] = value(depth: 2, using: &random)
            }
            envelope["params"] = Int.random(in: 0..<8, using: &random) > 0 ? .object(params) : scalar(using: &random)
        }
        if Int.random(in: 0..<8, using: &random) == 0 { envelope["jsonrpc"] = scalar(using: &random) }
        return encode(.object(envelope))
    }

    private static func value(depth: Int, using random: inout SeededGenerator) -> JSONValue {
        guard depth < 3, Int.random(in: 0..<3, using: &random) == 0 else { return scalar(using: &random) }
        let count = Int.random(in: 0...3, using: &random)
        if Bool.random(using: &random) {
            return .array((0..<count).map { _ in value(depth: depth + 1, using: &random) })
        }
        var object: [String: JSONValue] = [:]
        for _ in 0..<count { object[keys.randomElement(using: &random)!] = value(depth: depth + 1, using: &random) }
        return .object(object)
    }

    private static func scalar(using random: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: .null
        case 1: .bool(Bool.random(using: &random))
        case 2: .integer(Int64.random(in: Int64.min...Int64.max, using: &random))
        case 3: .integer(Int64.random(in: -2...3_600_001, using: &random))
        case 4: .number(Double.random(in: -1e300...1e300, using: &random))
        case 5: .string(methods.randomElement(using: &random)!)
        case 6: .string(String(decoding: (0..<Int.random(in: 0...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, as: UTF8.self))
        default: .integer(Int64.random(in: 0...2000, using: &random))
        }
    }

    /// Flips, drops or inserts a few bytes.
    private static func mutate(_ bytes: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
            let index = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
            case 1: bytes.remove(at: index)
            default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
            }
        }
        return bytes
    }

    private static func encode(_ value: JSONValue) -> [UInt8] {
        (try? Array(JSONEncoder().encode(value))) ?? []
    }
}
