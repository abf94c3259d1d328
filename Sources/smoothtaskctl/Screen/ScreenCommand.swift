/// What a key asks the session to do beyond changing the screen's state.
enum ScreenCommand: Equatable, Sendable {
    /// Nothing to fetch: redraw from the state.
    case none
    /// Leave the full screen and exit.
    case quit
    /// Show the recorded collection before the one shown (left arrow).
    case stepBack
    /// Show the recorded collection after the one shown, or live again past the newest (right arrow).
    case stepForward
    /// Leave the history and show live figures again.
    case goLive
}
