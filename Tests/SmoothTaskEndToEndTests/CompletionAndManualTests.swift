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

    /// Issue 18: completions did not know the configuration keys. Every key `config set` takes, as
    /// `key=`, and every method `call` takes, are in each shell's script.
    func testCompletionsKnowConfigKeysAndMethods() throws {
        try Binaries.requireBuilt()
        for shell in ["bash", "zsh", "fish"] {
            let script = try CommandResult.run(Binaries.control, ["--generate-completion-script", shell]).stdout
            for key in EbpfConfigPatch.keyNames + MetricSwitch.allCases.map(\.configKey) {
                XCTAssertTrue(script.contains("\(key)="), "\(shell) completion lacks \(key)=")
            }
            XCTAssertTrue(script.contains("processes.top") && script.contains("cgroups.top"), "\(shell) completion lacks call's methods")
        }
        // What bash offers after `smoothtaskctl config set enable_s`, through the installed script's own function.
        let bash = try CommandResult.run(Binaries.control, ["--generate-completion-script", "bash"]).stdout
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtaskctl-keys-\(getpid()).bash")
        try bash.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let offered = try CommandResult.run(URL(fileURLWithPath: "/bin/bash"), ["-c", """
            source \(file.path)
            COMP_WORDS=(smoothtaskctl config set enable_s); COMP_CWORD=3; COMP_LINE="smoothtaskctl config set enable_s"; COMP_POINT=${#COMP_LINE}
            $(complete -p smoothtaskctl | sed 's/.*-F \\([^ ]*\\).*/\\1/') smoothtaskctl enable_s set
            printf '%s\\n' "${COMPREPLY[@]}"
            """])
        XCTAssertEqual(offered.status, 0, offered.stderr)
        XCTAssertEqual(
            Set(offered.stdout.split(separator: "\n").map(String.init)),
            ["enable_syscall_monitoring=", "enable_sched_latency="],
            "bash offers: \(offered.stdout) \(offered.stderr)"
        )
    }

    /// Issue 18: the pages said "exits 0 on success, and >0 if an error occurs", had no ENVIRONMENT,
    /// FILES or SEE ALSO, and gave mdoc warnings. `man -l` (groff) and mandoc's linter must find nothing.
    func testManPagesRenderWithoutWarningsAndStateTheRealExitCodes() throws {
        for page in ["smoothtaskctl", "smoothtaskd"] {
            let path = Self.repository.appendingPathComponent("man/\(page).1").path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for section in [".Sh ENVIRONMENT", ".Sh FILES", ".Sh \"EXIT STATUS\"", ".Sh \"SEE ALSO\"", "SMOOTHTASK_SOCKET", "/run/smoothtask.sock"] {
                XCTAssertTrue(text.contains(section), "\(page).1 lacks \(section): run make man")
            }
            XCTAssertFalse(text.contains(".Ex -std"), "\(page).1 says >0 on any error: run make man")
            let codes = page == "smoothtaskctl" ? ["0", "1", "64", "69", "77"] : ["0", "1", "64", "78"]
            for code in codes { XCTAssertTrue(text.contains(".It \(code)\n"), "\(page).1 does not explain exit \(code)") }
            let groff = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/groff"), ["-ww", "-mandoc", "-z", path])
            XCTAssertEqual(groff.status, 0, groff.stderr)
            XCTAssertEqual(groff.stderr, "", "\(page).1: groff warnings")
            let man = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/man"), ["--warnings", "-l", path])
            XCTAssertEqual(man.status, 0, man.stderr)
            XCTAssertEqual(man.stderr, "", "\(page).1: man -l warnings")
            XCTAssertTrue(man.stdout.contains("EXIT STATUS"), man.stdout)
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mandoc") else {
                throw XCTSkip("mandoc is not installed (make deps installs it): groff found no warnings")
            }
            let lint = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/mandoc"), ["-T", "lint", "-W", "warning", path])
            XCTAssertEqual(lint.stdout + lint.stderr, "", "\(page).1: mandoc lint")
        }
    }
}
