import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The full screen through ncurses: the alternate screen (terminfo's smcup/rmcup), raw keys, resize
/// (ncurses turns SIGWINCH into a resize key and a new size), colour only where allowed. One per
/// process; ``close()`` gives the terminal back as it was.
final class Terminal {
    /// Whether lines are drawn in colour (false with NO_COLOR or a terminal without colours).
    let colour: Bool
    private let screen: OpaquePointer
    private var closed = false
    /// What is on the screen, to skip a draw that would change nothing.
    private var shown: [ScreenLine] = []
    private var shownSize = (rows: 0, columns: 0)

    /// Milliseconds ncurses waits after Esc for the rest of an arrow key's sequence: long enough for
    /// a local or ssh terminal, short enough that Esc alone feels immediate.
    static let escapeDelayMilliseconds: Int32 = 50

    /// Colour pairs, one per style that has a colour.
    private enum Pair: Int16 {
        case title = 1, columnTitles, exited, warning, emphasis
    }

    /// Takes over the terminal on standard input and output, or returns `nil` when it cannot be
    /// driven (TERM unset, unknown or without cursor addressing).
    init?(colourAllowed: Bool) {
        setlocale(LC_ALL, "")
        guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(dup(STDIN_FILENO), "r") else { return nil }
        guard let screen = newterm(nil, output, input) else {
            fclose(output)
            fclose(input)
            return nil
        }
        self.screen = screen
        set_escdelay(Self.escapeDelayMilliseconds)
        raw()
        noecho()
        nonl()
        keypad(smoothtask_curses_screen(), true)
        scrollok(smoothtask_curses_screen(), false)
        curs_set(0)
        colour = colourAllowed && has_colors() && start_color() == OK
        if colour {
            use_default_colors()
            init_pair(Pair.title.rawValue, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
            init_pair(Pair.columnTitles.rawValue, Int16(COLOR_BLACK), Int16(COLOR_GREEN))
            init_pair(Pair.exited.rawValue, Int16(COLOR_RED), -1)
            init_pair(Pair.warning.rawValue, Int16(COLOR_YELLOW), -1)
            init_pair(Pair.emphasis.rawValue, Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        }
    }

    /// Rows and columns now (after a resize key, the new ones).
    var size: (rows: Int, columns: Int) {
        (Int(smoothtask_curses_rows()), Int(smoothtask_curses_columns()))
    }

    /// Replaces the screen with `lines`; nothing is sent when they are what is shown.
    func draw(_ lines: [ScreenLine]) {
        let size = size
        guard lines != shown || size != shownSize else { return }
        shown = lines
        shownSize = size
        let window = smoothtask_curses_screen()
        werase(window)
        for (row, line) in lines.enumerated() {
            let text = Self.printable(line.text)
            let attributes = attributes(line.style)
            wattrset(window, Int32(bitPattern: attributes))
            if line.style == .title || line.style == .columnTitles {
                // Full-width bars: fill the row so the colour (or reverse) spans the screen.
                mvwaddstr(window, Int32(row), 0, String(repeating: " ", count: size.columns - (row == size.rows - 1 ? 1 : 0)))
            }
            guard let emphasis = line.emphasis, !emphasis.isEmpty else {
                mvwaddstr(window, Int32(row), 0, text)
                continue
            }
            let characters = Array(text)
            mvwaddstr(window, Int32(row), 0, String(characters[..<min(emphasis.lowerBound, characters.count)]))
            wattrset(window, Int32(bitPattern: colour ? smoothtask_curses_color_pair(Pair.emphasis.rawValue) | smoothtask_curses_bold() : smoothtask_curses_bold()))
            waddstr(window, String(characters[min(emphasis.lowerBound, characters.count)..<min(emphasis.upperBound, characters.count)]))
            wattrset(window, Int32(bitPattern: attributes))
            waddstr(window, String(characters[min(emphasis.upperBound, characters.count)...]))
        }
        wattrset(window, Int32(bitPattern: smoothtask_curses_normal()))
        wrefresh(window)
    }

    /// The next key, waiting at most `timeoutMilliseconds`; `nil` when none came.
    func readKey(timeoutMilliseconds: Int32) -> ScreenKey? {
        let window = smoothtask_curses_screen()
        wtimeout(window, timeoutMilliseconds)
        var code: wint_t = 0
        let kind = wget_wch(window, &code)
        if kind == ERR { return nil }
        if kind == KEY_CODE_YES { return Self.functionKey(Int32(code)) }
        switch code {
        case 3: return .interrupt
        case 27: return .escape
        case 10, 13: return .enter
        case 8, 127: return .backspace
        default: return Unicode.Scalar(UInt32(code)).map { .character(Character($0)) }
        }
    }

    /// Leaves the full screen: the alternate screen goes, the shell's screen is back as it was.
    func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
    }

    deinit { close() }

    private func attributes(_ style: ScreenStyle) -> attr_t {
        guard colour else {
            switch style {
            case .title, .columnTitles: return smoothtask_curses_reverse()
            case .warning: return smoothtask_curses_bold()
            case .exited: return smoothtask_curses_dim()
            case .normal, .status: return smoothtask_curses_normal()
            }
        }
        switch style {
        case .title: return smoothtask_curses_color_pair(Pair.title.rawValue)
        case .columnTitles: return smoothtask_curses_color_pair(Pair.columnTitles.rawValue)
        case .exited: return smoothtask_curses_color_pair(Pair.exited.rawValue)
        case .warning: return smoothtask_curses_color_pair(Pair.warning.rawValue) | smoothtask_curses_bold()
        case .normal, .status: return smoothtask_curses_normal()
        }
    }

    private static func functionKey(_ code: Int32) -> ScreenKey? {
        switch code {
        case smoothtask_key_left(): .left
        case smoothtask_key_right(): .right
        case smoothtask_key_up(): .up
        case smoothtask_key_down(): .down
        case smoothtask_key_page_up(): .pageUp
        case smoothtask_key_page_down(): .pageDown
        case smoothtask_key_home(): .home
        case smoothtask_key_end(): .end
        case smoothtask_key_backspace(): .backspace
        case smoothtask_key_enter(): .enter
        case smoothtask_key_resize(): .resize
        default: nil
        }
    }

    /// Control characters (a tab or escape in a command line) as `?`: drawn raw they would move the
    /// cursor and break the layout.
    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
