/// Any JSON value, kept as parsed: used for request ids (echoed back unchanged) and raw params.
public enum JSONValue: Codable, Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    /// A number as its exact JSON text, e.g. `18446744073709551617`, `-0`, `1e400`: request ids,
    /// echoed byte for byte by ``RPCResponse/encoded()`` whatever their size. Encoders that see it
    /// elsewhere get the nearest `Int64` or `Double`.
    case rawNumber(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value of a JSON number's text: `.integer` when the text is an `Int64` in its usual form
    /// (so `7` stays `.integer(7)`), otherwise `.rawNumber` keeping the text.
    public init(numberText text: String) {
        if let integer = Int64(text), String(integer) == text {
            self = .integer(integer)
        } else {
            self = .rawNumber(text)
        }
    }

    /// The JSON text of a number or `nil` for other values, exactly as a reply writes it.
    var rawNumberText: String? {
        if case .rawNumber(let text) = self { return text }
        return nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .rawNumber(let text):
            if let integer = Int64(text) { try container.encode(integer) } else { try container.encode(Double(text) ?? 0) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The JSON type's name, for error messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .number, .rawNumber: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
