import Foundation
import XCTest

/// Issue 11 item 6 against the real daemon: a symlink planted by an unprivileged user cannot make
/// smoothtaskd overwrite a file, a `--config` symlink is resolved (not replaced), and a Unix-socket
/// `prometheus_listen` from an admin-group member cannot leave the metrics socket directory.
final class FileSafetyEndToEndTests: XCTestCase {
    private let nobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    private func temporaryDirectory(_ tag: String, mode: Int) throws -> String {
        var template = Array("/tmp/st\(tag)-XXXXXX".utf8CString)
        let path = String(cString: try XCTUnwrap(mkdtemp(&template)))
        XCTAssertEqual(chmod(path, mode_t(mode)), 0)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A root-only 0600 file in a root-only directory, as in the trial that found the bug.
    private func rootOnlyVictim() throws -> (path: String, content: Data) {
        let directory = try temporaryDirectory("victim", mode: 0o700)
        let path = "\(directory)/secret"
        let content = Data("root only: must never change\n".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: content, attributes: [.posixPermissions: 0o600]))
        return (path, content)
    }

    private func assertUntouched(_ victim: (path: String, content: Data), file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(FileManager.default.contents(atPath: victim.path), victim.content, "victim overwritten", file: file, line: line)
        var info = stat()
        XCTAssertEqual(lstat(victim.path, &info), 0, file: file, line: line)
        XCTAssertEqual(info.st_mode & 0o7777, 0o600, "victim's mode changed", file: file, line: line)
        XCTAssertEqual(info.st_uid, 0, file: file, line: line)
    }

    private func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    func testSymlinkPlantedByNobodyInTheConfigDirectoryOverwritesNothing() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to act as nobody and own the victim: run the suite as root") }
        let victim = try rootOnlyVictim()
        // A configuration directory anyone may write (no sticky bit, so protected_symlinks does not help).
        let configDirectory = try temporaryDirectory("cfgdir", mode: 0o777)
        for name in ["config.json.tmp", ".config.json.tmp-"] {
            let planted = try CommandResult.run(URL(fileURLWithPath: "/bin/ln"), ["-s", victim.path, "\(configDirectory)/\(name)"], wrapper: nobody)
            XCTAssertEqual(planted.status, 0, planted.stderr)
        }
        let daemon = try DaemonProcess(extraArguments: ["--config", "\(configDirectory)/config.json"])
        for interval in [750, 800, 850] {
            let set = try daemon.control(["config", "set", "collection_interval_ms=\(interval)"])
            XCTAssertEqual(set.status, 0, set.stderr)
        }
        assertUntouched(victim)
        XCTAssertEqual(fileType("\(configDirectory)/config.json.tmp"), S_IFLNK, "the planted link is left alone")
        XCTAssertEqual(fileType("\(configDirectory)/config.json"), S_IFREG)
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(configDirectory)/config.json"))) as? [String: Any]
        XCTAssertEqual(saved?["collection_interval_ms"] as? Int, 850)
        XCTAssertEqual(daemon.stop(), 0, daemon.log)
    }

    func testConfigSymlinkIsResolvedAtStartAndItsTargetWritten() throws {
        let realDirectory = try temporaryDirectory("cfgreal", mode: 0o755)
        let linkDirectory = try temporaryDirectory("cfglink", mode: 0o755)
        let target = "\(realDirectory)/config.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data(#"{"collection_interval_ms": 750}"#.utf8)))
        let link = "\(linkDirectory)/config.json"
        XCTAssertEqual(symlink(target, link), 0)
        let daemon = try DaemonProcess(extraArguments: ["--config", link])
        XCTAssertEqual(try daemon.controlJSON(["config", "get"])["collection_interval_ms"] as? Int, 750)
        XCTAssertEqual(try daemon.control(["config", "set", "collection_interval_ms=900"]).status, 0)
        XCTAssertEqual(fileType(link), S_IFLNK, "the symlink was replaced by a regular file")
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: target))) as? [String: Any]
        XCTAssertEqual(saved?["collection_interval_ms"] as? Int, 900)
        XCTAssertTrue(daemon.log.contains("Configuration path resolved") && daemon.log.contains(target), daemon.log)
        XCTAssertEqual(daemon.stop(), 0, daemon.log)

        // A dangling symlink is refused at start with one line saying so (exit 78, like a bad file).
        let dangling = "\(linkDirectory)/dangling.json"
        XCTAssertEqual(symlink("\(realDirectory)/missing/config.json", dangling), 0)
        let refused = try CommandResult.run(Binaries.daemon, ["--config", dangling, "--socket", "\(linkDirectory)/s.sock"])
        XCTAssertEqual(refused.status, 78, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("symbolic link") && refused.stderr.contains(dangling), refused.stderr)
    }

    func testUnixEndpointFromAnAdminGroupMemberStaysInsideTheSocketDirectory() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to act as nobody: run the suite as root") }
        let base = try temporaryDirectory("met", mode: 0o755)
        let socketDirectory = "\(base)/run"
        XCTAssertEqual(mkdir(socketDirectory, 0o755), 0)
        let victim = try rootOnlyVictim()
        // nobody's primary group is the admin group here: an admin-group member without root.
        let daemon = try DaemonProcess(extraArguments: ["--admin-group", "nogroup", "--metrics-socket-directory", socketDirectory])
        func setListen(_ value: String) throws -> CommandResult {
            try daemon.control(["config", "set", "prometheus_listen=\(value)"], wrapper: nobody)
        }
        // Somewhere else entirely, with a stale socket there for the daemon to "clean up".
        let elsewhere = "/tmp/stmet-stale-\(UUID().uuidString.prefix(8)).sock"
        let stale = try CommandResult.run(
            URL(fileURLWithPath: "/usr/bin/python3"),
            ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", elsewhere]
        )
        XCTAssertEqual(stale.status, 0, stale.stderr)
        defer { unlink(elsewhere) }
        for attempt in [elsewhere, "/tmp/stmet-new-\(UUID().uuidString.prefix(8)).sock", "\(socketDirectory)/../evil.sock"] {
            let refused = try setListen(attempt)
            XCTAssertNotEqual(refused.status, 0, "\(attempt) accepted")
            XCTAssertTrue(refused.stderr.contains("prometheus_listen") && refused.stderr.contains(socketDirectory), refused.stderr)
        }
        XCTAssertEqual(fileType(elsewhere), S_IFSOCK, "the stale socket outside the directory was deleted")
        XCTAssertEqual(fileType("\(base)/evil.sock"), 0)
        // A symlink inside the directory (as if planted) is refused and its target left alone.
        XCTAssertEqual(symlink(victim.path, "\(socketDirectory)/link.sock"), 0)
        let viaLink = try setListen("\(socketDirectory)/link.sock")
        XCTAssertNotEqual(viaLink.status, 0)
        XCTAssertTrue(viaLink.stderr.contains("symbolic link"), viaLink.stderr)
        assertUntouched(victim)
        XCTAssertNil(try daemon.controlJSON(["config", "get"])["prometheus_listen"] as? String)
        // Inside the directory it works, world-connectable, and serves metrics.
        let good = "\(socketDirectory)/metrics.sock"
        let accepted = try setListen(good)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        var info = stat()
        XCTAssertEqual(lstat(good, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(info.st_mode & 0o777, 0o666)
        let scrape = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--unix-socket", good, "http://localhost/metrics"], wrapper: nobody)
        XCTAssertEqual(scrape.status, 0, scrape.stderr)
        XCTAssertTrue(scrape.stdout.contains("smoothtask_"), scrape.stdout)
        XCTAssertEqual(daemon.stop(), 0, daemon.log)
    }
}
