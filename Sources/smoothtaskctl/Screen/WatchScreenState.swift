/// What the full-screen `watch` shows: pause, help, scroll and which collection. Keys change it
/// through ``handle(_:)``, testable without a terminal.
struct WatchScreenState: Equatable, Sendable {
    var paused = false
    var showingHelp = false
    var moment: ScreenMoment = .live
    var scroll = 0
    var message: String?

    mutating func handle(_ key: ScreenKey) -> ScreenCommand {
        message = nil
        if key == .interrupt { return .quit }
        if showingHelp {
            showingHelp = false
            return key == .character("q") ? .quit : .none
        }
        switch key {
        case .character("q"), .character("Q"): return .quit
        case .character("h"), .character("?"): showingHelp = true
        case .character(" "): paused.toggle()
        case .left: return .stepBack
        case .right: return moment.isLive ? .none : .stepForward
        case .end: return moment.isLive ? .none : .goLive
        case .up: scroll = max(0, scroll - 1)
        case .down: scroll += 1
        case .pageUp: scroll = max(0, scroll - TopScreenState.pageRows)
        case .pageDown: scroll += TopScreenState.pageRows
        case .home: scroll = 0
        case .character(let character): message = "Unknown key \(character): h shows the keys"
        default: break
        }
        return .none
    }
}
