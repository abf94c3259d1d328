#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether a command draws a full screen or prints plain text, and whether in colour: full screen
/// only on a terminal that can address the cursor, colour only where NO_COLOR (no-color.org) is unset.
struct ScreenPolicy: Equatable, Sendable {
    /// Draw the full-screen view (else: plain, escape-free text).
    var fullScreen: Bool
    /// Use colour in it.
    var colour: Bool

    /// - Parameters:
    ///   - interactive: `--interactive`: full screen even when standard output is not a terminal.
    ///   - plain: `--once` or `--json`: never full screen.
    ///   - environment: the variables to read (TERM, NO_COLOR).
    ///   - outputIsTerminal: isatty(1).
    init(interactive: Bool, plain: Bool, environment: [String: String], outputIsTerminal: Bool) {
        let term = environment["TERM"] ?? ""
        // A dumb terminal cannot place the cursor; ncurses would refuse it or scroll line by line.
        let capable = !term.isEmpty && term != "dumb"
        fullScreen = !plain && capable && (interactive || outputIsTerminal)
        colour = fullScreen && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// The policy for this process's environment and standard output.
    static func current(interactive: Bool, plain: Bool) -> ScreenPolicy {
        var environment: [String: String] = [:]
        for name in ["TERM", "NO_COLOR"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return ScreenPolicy(interactive: interactive, plain: plain, environment: environment, outputIsTerminal: isatty(STDOUT_FILENO) == 1)
    }
}
