import CNumberFormat

/// A number `String(printf:)` can format: each type formats itself through one C conversion,
/// passed to snprintf as the C type the conversion reads, so no CVarArg (and no dynamic cast) is
/// involved.
protocol PrintfArgument {
    /// The value through `conversion` (one `%...` conversion of a printf format, nothing else):
    /// snprintf's text, or `nil` if it failed.
    func printf(_ conversion: String) -> String?
}

extension PrintfArgument {
    /// `format` the C library's way into a buffer that holds any of the client's numbers: the few
    /// dozen characters of a `%f` of a Double the size of a byte count.
    fileprivate static func formatted(_ write: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let length = write(buffer.baseAddress!, buffer.count)
            guard length >= 0, length < buffer.count else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(length)), as: UTF8.self)
        }
    }

    /// `conversion` with its length modifiers (`l`, `ll`, `h`, ...) replaced by `ll`, the width the
    /// integer functions pass.
    fileprivate static func longLong(_ conversion: String) -> String {
        var utf8 = Array(conversion.utf8)
        let letter = utf8.removeLast()
        while let last = utf8.last, last == UInt8(ascii: "l") || last == UInt8(ascii: "h") || last == UInt8(ascii: "z") || last == UInt8(ascii: "j") {
            utf8.removeLast()
        }
        return String(decoding: utf8 + Array("ll".utf8) + [letter], as: UTF8.self)
    }
}

extension Double: PrintfArgument {
    func printf(_ conversion: String) -> String? {
        Self.formatted { smoothtask_format_double($0, $1, conversion, self) }
    }
}

extension Int: PrintfArgument {
    func printf(_ conversion: String) -> String? {
        let conversion = Self.longLong(conversion)
        return Self.formatted { smoothtask_format_signed($0, $1, conversion, Int64(self)) }
    }
}

extension Int32: PrintfArgument {
    func printf(_ conversion: String) -> String? {
        Int(self).printf(conversion)
    }
}

extension UInt64: PrintfArgument {
    func printf(_ conversion: String) -> String? {
        let conversion = Self.longLong(conversion)
        return Self.formatted { smoothtask_format_unsigned($0, $1, conversion, self) }
    }
}
