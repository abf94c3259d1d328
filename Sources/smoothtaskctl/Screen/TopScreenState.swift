/// What the full-screen `top` shows and how: order, filter, tree, pause, help, prompt and which
/// collection. Keys change it through ``handle(_:)``; nothing here touches the terminal, so every
/// key can be tested without one.
struct TopScreenState: Equatable, Sendable {
    var sort: TopColumn = .cpu
    var filter: TopFilter?
    var tree = false
    /// Each live process's threads instead of the processes (read from /proc by the client).
    var threads = false
    /// Paused: keep the rows on screen, fetch nothing new.
    var paused = false
    var showingHelp = false
    /// The filter being typed at the bottom line; `nil` when no prompt is open.
    var prompt: String?
    /// A note for the bottom line, cleared by the next key.
    var message: String?
    var moment: ScreenMoment = .live
    /// Rows scrolled past at the top of the table.
    var scroll = 0

    /// Applies one key and says what the session must do about it.
    mutating func handle(_ key: ScreenKey) -> ScreenCommand {
        message = nil
        if key == .interrupt { return .quit }
        if prompt != nil { return typeIntoPrompt(key) }
        if showingHelp {
            showingHelp = false
            return key == .character("q") ? .quit : .none
        }
        switch key {
        case .character("q"), .character("Q"): return .quit
        case .character("h"), .character("?"): showingHelp = true
        case .character(" "): paused.toggle()
        case .character("/"), .character("f"): prompt = ""
        case .character("u"): prompt = "user:"
        case .character("g"): prompt = "cgroup:"
        case .character("t"): tree.toggle(); scroll = 0
        case .character("H"):
            guard moment.isLive else {
                message = "The thread view is live only (recorded collections hold processes, not threads): End goes back to live"
                return .none
            }
            threads.toggle()
            scroll = 0
        case .character("<"): step(sortBy: -1)
        case .character(">"): step(sortBy: 1)
        case .character(let character):
            guard let column = TopColumn.sortable.first(where: { $0.sortKey == character }) else {
                message = "Unknown key \(character): h shows the keys"
                return .none
            }
            sort = column
            scroll = 0
        case .escape:
            if filter != nil { filter = nil; scroll = 0 }
        case .left:
            if threads {
                threads = false
                message = "Thread view off: recorded collections hold processes, not threads"
            }
            return .stepBack
        case .right: return moment.isLive ? .none : .stepForward
        case .end: return moment.isLive ? .none : .goLive
        case .up: scroll = max(0, scroll - 1)
        case .down: scroll += 1
        case .pageUp: scroll = max(0, scroll - Self.pageRows)
        case .pageDown: scroll += Self.pageRows
        case .home: scroll = 0
        case .enter, .backspace, .resize, .interrupt: break
        }
        return .none
    }

    /// Rows PgUp and PgDn move by; the session clamps the scroll to what is there.
    static let pageRows = 10

    /// `rows` as shown: filtered, then ordered (or arranged as a tree).
    func arranged(_ rows: [TopRow]) -> [TopRow] {
        let kept = filter.map { filter in rows.filter(filter.matches) } ?? rows
        return tree ? TopTree.arrange(kept, by: sort) : kept.sorted(by: sort.precedes)
    }

    private mutating func typeIntoPrompt(_ key: ScreenKey) -> ScreenCommand {
        switch key {
        case .enter:
            filter = TopFilter(parsing: prompt ?? "")
            prompt = nil
            scroll = 0
        case .escape: prompt = nil
        case .backspace: if prompt?.isEmpty == false { prompt?.removeLast() }
        case .character(let character): prompt?.append(character)
        default: break
        }
        return .none
    }

    private mutating func step(sortBy offset: Int) {
        let columns = TopColumn.sortable
        let index = columns.firstIndex(of: sort) ?? 0
        sort = columns[(index + offset + columns.count) % columns.count]
        scroll = 0
    }
}
