extension String {
    /// `printf`-style formatting of numbers through the C library (`%5.1f`, `%02d`, `%llu`, `%%`),
    /// one conversion at a time (``PrintfArgument``). The client does not use `String(format:)`: it
    /// belongs to full Foundation, whose load (with ICU) would triple the client's start-up time.
    /// Arguments are numbers only; C has no `%@`, so strings are interpolated. A conversion without
    /// an argument, or one snprintf refuses, is left as written.
    init(printf format: String, _ arguments: any PrintfArgument...) {
        var result = ""
        var remaining = arguments[...]
        var text = format.utf8[...]
        while let percent = text.firstIndex(of: UInt8(ascii: "%")) {
            result += String(Substring(text[..<percent]))
            let afterPercent = text.index(after: percent)
            guard afterPercent < text.endIndex else { text = text[percent...]; break }
            if text[afterPercent] == UInt8(ascii: "%") {
                result += "%"
                text = text[text.index(after: afterPercent)...]
                continue
            }
            // Flags, width, precision and length modifiers run up to the conversion's letter.
            guard let letter = text[afterPercent...].firstIndex(where: { Self.conversionLetters.contains($0) }) else {
                text = text[percent...]
                break
            }
            let end = text.index(after: letter)
            let conversion = String(Substring(text[percent..<end]))
            if let argument = remaining.popFirst(), let formatted = argument.printf(conversion) {
                result += formatted
            } else {
                result += conversion
            }
            text = text[end...]
        }
        result += String(Substring(text))
        self = result
    }

    /// The letters that end a printf conversion (`l` and `h` are length modifiers, not among them).
    private static let conversionLetters = Set("diouxXeEfFgGaA".utf8)

    /// The string left-aligned in `width` characters: padded with spaces, or cut when longer (as
    /// `NSString.padding(toLength:withPad:startingAt:)`, which only full Foundation has).
    func column(_ width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
