/// How a line of a full-screen view is drawn; the terminal maps each to colour or, with NO_COLOR,
/// to plain attributes only (bold, reverse).
enum ScreenStyle: Equatable, Sendable {
    case title
    case columnTitles
    case normal
    /// A row of a process that exited during the window.
    case exited
    /// The bottom line: keys, the filter prompt, messages.
    case status
    /// Something is wrong right now (reconnecting, a refused request).
    case warning
}
