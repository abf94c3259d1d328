#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension String {
    /// `printf`-style formatting through the C library (`%5.1f`, `%d`, `%llu`, `%%`). The client does
    /// not use `String(format:)`: it belongs to full Foundation, whose load (with ICU) would triple the
    /// client's start-up time. Arguments are numbers only; C has no `%@`, so strings are interpolated.
    init(printf format: String, _ arguments: CVarArg...) {
        // One va_list per vsnprintf call: the first measures, the second writes.
        let length = withVaList(arguments) { vsnprintf(nil, 0, format, $0) }
        guard length > 0 else {
            self = ""
            return
        }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        self = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The string left-aligned in `width` characters: padded with spaces, or cut when longer (as
    /// `NSString.padding(toLength:withPad:startingAt:)`, which only full Foundation has).
    func column(_ width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
