import SmoothTaskModel

/// Parses /proc/pressure/memory (PSI, Linux 4.20+ with CONFIG_PSI), as ``ProcfsTick`` read it.
enum ProcPressure {
    /// A PSI file's `key=value` fields by the first word of their line (``fields(of:)``).
    typealias Lines = [Substring: [Substring: Substring]]

    /// The figures of lines like `some avg10=0.00 avg60=0.00 avg300=0.00 total=0`, split by ``fields(of:)``.
    static func parse(_ lines: Lines) -> MemoryPressure? {
        guard let some = lines["some"], let full = lines["full"],
            let someAvg10 = some["avg10"].flatMap({ Double($0) }), let someAvg60 = some["avg60"].flatMap({ Double($0) }),
            let someTotal = some["total"].flatMap({ UInt64($0) }),
            let fullAvg10 = full["avg10"].flatMap({ Double($0) }), let fullTotal = full["total"].flatMap({ UInt64($0) })
        else { return nil }
        return MemoryPressure(
            someAvg10: someAvg10, someAvg60: someAvg60, someTotalMicroseconds: someTotal,
            fullAvg10: fullAvg10, fullTotalMicroseconds: fullTotal
        )
    }

    /// Each line's `key=value` fields by its first word (`some`, `full`): split once per file, for both
    /// ``parse(_:)`` and ``PressureTotals/parse(_:resource:)``.
    ///
    /// Splits the UTF-8 bytes, not the characters: three PSI files are parsed every collection, and
    /// splitting them as Strings was 4% of an idle daemon's CPU.
    static func fields(of text: String) -> Lines {
        var lines: Lines = [:]
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let words = line.split(separator: UInt8(ascii: " "))
            guard let kind = words.first else { continue }
            var pairs: [Substring: Substring] = [:]
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: UInt8(ascii: "=")) else { continue }
                pairs[Substring(word[..<equals])] = Substring(word[word.index(after: equals)...])
            }
            lines[Substring(kind)] = pairs
        }
        return lines
    }
}
