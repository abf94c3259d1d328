import ArgumentParser
import SmoothTaskModel
import SmoothTaskProtocol

/// One `key=value` of `config set`, with the value typed as JSON; the daemon has the last word on validity.
struct ConfigAssignment {
    let key: String
    let value: JSONValue

    init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("'\(text)' is not key=value; keys: \(EbpfConfigPatch.keyNames.joined(separator: ", "))")
        }
        key = String(text[..<equals])
        // Caught here, before connecting, so a typo exits 64 (bad usage) with the keys to choose from.
        guard EbpfConfigPatch.keyNames.contains(key) else {
            throw ValidationError("unknown key '\(key)'; keys: \(EbpfConfigPatch.keyNames.joined(separator: ", "))")
        }
        let raw = String(text[text.index(after: equals)...])
        // An address stays text even when it looks like a number, so the daemon can say what is wrong with it.
        if key == MetricsListenAddress.configKey {
            value = raw == "null" ? .null : .string(raw)
            return
        }
        switch raw {
        case "true": value = .bool(true)
        case "false": value = .bool(false)
        case "null": value = .null
        default:
            if let integer = Int64(raw) {
                value = .integer(integer)
            } else if key == "collection_interval_ms", let interval = try? CollectionInterval(parsing: raw) {
                value = .integer(Int64(interval.milliseconds))
            } else if let number = Double(raw), number.isFinite {
                // A fraction such as max_overhead_percent=0.5.
                value = .number(number)
            } else {
                value = .string(raw)
            }
        }
    }
}
