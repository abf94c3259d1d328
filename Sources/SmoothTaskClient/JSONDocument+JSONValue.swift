import SmoothTaskProtocol

/// ``SmoothTaskProtocol/JSONValue`` results (`--json`, `call`, request ids) built straight from the
/// text, with the values and refusals its own `init(from:)` gives through this decoder.
///
/// `JSONValue.init(from:)` finds a value's type by trying each in turn (`Bool`, `Int64`, `Double`,
/// `String`, array, object) and discarding the errors; each discarded error here costs its coding
/// path and message, so a `status --json` decode (21 KB) cost 23.5M instructions that way. The
/// containers take this path when the type asked for is `JSONValue` (a metatype comparison, not a
/// dynamic cast).
extension JSONDocument {
    /// The value at `entry`; `codingPath` makes its path, only for an error.
    func jsonValue(at entry: Int, codingPath: () -> [any CodingKey]) throws -> JSONValue {
        let value = tape[entry]
        switch value.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .string: return .string(string(at: entry))
        case .number:
            // As the Int64 then the Double conversion would: an integer's text or a number with no
            // fraction that fits Int64, else a finite Double.
            if let small = smallInteger(at: entry) { return .integer(small) }
            let text = text(at: entry)
            if let integer = Int64(text) ?? Double(text).flatMap({ Int64(exactly: $0) }) { return .integer(integer) }
            if let number = Double(text), number.isFinite { return .number(number) }
            // Beyond Double: every type refuses it, the last one tried being an object.
            throw mismatch([String: JSONValue].self, "Dictionary<String, JSONValue>", at: entry, codingPath: codingPath())
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(value.count)
            var element = entry + 1
            do {
                while element < value.next {
                    let index = elements.count
                    elements.append(try jsonValue(at: element) { codingPath() + [JSONElementKey(index: index)] })
                    element = tape[element].next
                }
            } catch {
                // An element that is no JSONValue fails the array; the object tried last fails too.
                throw mismatch([String: JSONValue].self, "Dictionary<String, JSONValue>", at: entry, codingPath: codingPath())
            }
            return .array(elements)
        case .object:
            // As `Dictionary.init(from:)` reads it: each distinct name once, the first member so named.
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(value.count)
            var key = entry + 1
            while key < value.next {
                let name = string(at: key)
                if members[name] == nil {
                    members[name] = try jsonValue(at: key + 1) { codingPath() + [JSONElementKey(stringValue: name)] }
                }
                key = tape[key + 1].next
            }
            return .object(members)
        }
    }
}
