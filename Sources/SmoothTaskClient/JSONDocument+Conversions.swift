/// The conversions of one value to the type a field asks for, shared by ``JSONValueDecoder``'s
/// containers: the same values and refusals as the `JSONValue` tree gave (and `JSONDecoder` gives),
/// read from the text. `codingPath` is made only when an error is thrown.
///
/// Type names in messages are passed as text: interpolating a metatype asks the runtime for its
/// name, and ``SmoothTaskProtocol/JSONValue``'s `init(from:)` makes these errors on purpose while
/// probing which type a value is.
extension JSONDocument {
    func isNull(at entry: Int) -> Bool {
        tape[entry].kind == .null
    }

    func bool(at entry: Int, codingPath: @autoclosure () -> [any CodingKey]) throws -> Bool {
        switch tape[entry].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, "Bool", at: entry, codingPath: codingPath())
        }
    }

    func string(at entry: Int, codingPath: @autoclosure () -> [any CodingKey]) throws -> String {
        guard tape[entry].kind == .string else { throw mismatch(String.self, "String", at: entry, codingPath: codingPath()) }
        return string(at: entry)
    }

    /// An integer of type `T`, from an integer's text or a number with no fraction that fits `T`.
    func integer<T: FixedWidthInteger>(
        _ type: T.Type, _ typeName: String, at entry: Int, codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        guard tape[entry].kind == .number else { throw mismatch(type, typeName, at: entry, codingPath: codingPath()) }
        if let small = smallInteger(at: entry), let value = T(exactly: small) { return value }
        let text = text(at: entry)
        guard let value = T(text) ?? Double(text).flatMap({ T(exactly: $0) }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "Number \(text) does not fit in \(typeName)."))
        }
        return value
    }

    /// A floating-point number, rounded once from the JSON text.
    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: T.Type, _ typeName: String, at entry: Int, codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        guard tape[entry].kind == .number else { throw mismatch(type, typeName, at: entry, codingPath: codingPath()) }
        // An integer's text converts exactly to Int64 and from it rounds once, as from the text.
        if let small = smallInteger(at: entry), !isNegativeZero(at: entry) { return T(small) }
        let text = text(at: entry)
        guard let number = T(text) else { throw mismatch(type, typeName, at: entry, codingPath: codingPath()) }
        // Text beyond the type's range parses as infinity; JSONDecoder refuses it.
        guard number.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "Number \(text) does not fit in \(typeName)."))
        }
        return number
    }

    /// The error for a value that is not a `type`: `valueNotFound` for `null`, as `JSONDecoder` says.
    func mismatch(_ type: Any.Type, _ typeName: String, at entry: Int, codingPath: [any CodingKey]) -> DecodingError {
        if tape[entry].kind == .null {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Cannot get \(typeName) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(typeName) but found \(self.typeName(at: entry)) instead."))
    }
}
