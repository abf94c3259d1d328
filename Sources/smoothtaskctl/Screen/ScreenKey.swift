/// A key press as the full-screen views see it, independent of the terminal library that read it.
enum ScreenKey: Equatable, Sendable {
    case character(Character)
    case left, right, up, down, pageUp, pageDown, home, end
    case enter, escape, backspace
    /// The terminal changed size (SIGWINCH): lay the screen out again.
    case resize
    /// Ctrl-C, read as a key because the terminal is in raw mode.
    case interrupt
}
