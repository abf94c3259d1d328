import Foundation
import SmoothTaskModel
import XCTest

/// The completions `make install-completions` installs, and the committed man pages `make man` regenerates.
final class CompletionAndManualTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCompletionScriptsCoverEverySubcommandAndBashParsesThem() throws {
        try Binaries.requireBuilt()
        for shell in ["bash", "zsh", "fish"] {
            let script = try CommandResult.run(Binaries.control, ["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, script.stderr)
            for subcommand in ["status", "metrics", "config", "set-interval", "cgroups"] {
                XCTAssertTrue(script.stdout.contains(subcommand), "\(shell) completion lacks \(subcommand)")
            }
            if shell == "bash" {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtaskctl-\(getpid()).bash")
                try script.stdout.write(to: file, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: file) }
                let syntax = try CommandResult.run(URL(fileURLWithPath: "/bin/bash"), ["-n", file.path])
                XCTAssertEqual(syntax.status, 0, syntax.stderr)
            }
        }
    }

    /// A stale page is caught here: every option the daemon's --help lists must be in man/smoothtaskd.1.
    func testManPagesDescribeTheCurrentOptionsAndSubcommands() throws {
        try Binaries.requireBuilt()
        let daemonPage = try String(contentsOf: Self.repository.appendingPathComponent("man/smoothtaskd.1"), encoding: .utf8)
        let help = try CommandResult.run(Binaries.daemon, ["--help"]).stdout
        let options = help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
            .filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) }
        XCTAssertFalse(options.isEmpty)
        for option in Set(options) {
            XCTAssertTrue(daemonPage.contains("Fl -\(option)"), "man/smoothtaskd.1 lacks --\(option): run make man")
        }
        let controlPage = try String(contentsOf: Self.repository.appendingPathComponent("man/smoothtaskctl.1"), encoding: .utf8)
        for subcommand in ["status", "metrics", "config", "set-interval", "cgroups"] {
            XCTAssertTrue(controlPage.contains(subcommand), "man/smoothtaskctl.1 lacks \(subcommand): run make man")
        }
        let versions = try [Binaries.daemon, Binaries.control].map { try CommandResult.run($0, ["--version"]).stdout }
        XCTAssertEqual(versions, Array(repeating: SmoothTaskVersion.current + "\n", count: 2), "the version status reports")
    }
}
