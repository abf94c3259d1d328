import CNcurses

/// One line of a full-screen view, already cut to the screen's width so the terminal never wraps it.
struct ScreenLine: Equatable, Sendable {
    var text: String
    var style: ScreenStyle
    /// Character offsets of the part drawn emphasised (the sort column's title).
    var emphasis: Range<Int>?

    init(_ text: String, style: ScreenStyle = .normal, emphasis: Range<Int>? = nil) {
        self.text = text
        self.style = style
        self.emphasis = emphasis
    }

    /// `text` cut to `width` characters, so that no line ever reaches past the right edge (a line
    /// as wide as the screen would wrap on some terminals and scroll the screen).
    /// Widths are terminal cells: a wide character (CJK, emoji) takes two.
    func fitted(to width: Int) -> ScreenLine {
        var line = self
        var cells = 0
        var kept = 0
        for character in text {
            let cellWidth = Self.cells(character)
            guard cells + cellWidth <= width else { break }
            cells += cellWidth
            kept += 1
        }
        line.text = String(text.prefix(kept))
        if let emphasis { line.emphasis = min(emphasis.lowerBound, kept)..<min(emphasis.upperBound, kept) }
        return line
    }

    /// Terminal cells `character` takes: wcwidth of its first scalar; 1 for a control or unknown one,
    /// which the terminal wrapper draws as a placeholder.
    static func cells(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.isASCII { return 1 }
        let width = Int(smoothtask_cell_width(scalar.value))
        return width < 0 ? 1 : width
    }
}
