import Foundation
@testable import SmoothTaskDaemon
import SmoothTaskModel
import XCTest

/// Writes that no symlink in the configuration's directory can redirect, and `--config` symlinks
/// resolved once, explicitly.
final class ConfigStoreTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/stcfg-XXXXXX".utf8CString)
        directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : 0
    }

    func testSymlinksPlantedAtTemporaryNamesAreNeverWrittenThrough() throws {
        let victim = "\(directory)/victim"
        XCTAssertTrue(FileManager.default.createFile(atPath: victim, contents: Data("root only\n".utf8), attributes: [.posixPermissions: 0o600]))
        let store = ConfigStore(path: "\(directory)/config.json")
        // The old fixed name, and a guess at the new prefix.
        for name in ["config.json.tmp", ".config.json.tmp-", ".config.json.tmp-aaaaaaaaaaaa"] {
            XCTAssertEqual(symlink(victim, "\(directory)/\(name)"), 0)
        }
        var config = EbpfConfig.defaults
        config.collectionIntervalMilliseconds = 750
        try store.save(config)
        try store.save(config)
        XCTAssertEqual(contents(victim), Data("root only\n".utf8))
        XCTAssertEqual(mode(victim) & 0o7777, 0o600)
        XCTAssertEqual(try store.load(), config)
        XCTAssertEqual(mode(store.path) & S_IFMT, S_IFREG)
        XCTAssertEqual(mode(store.path) & 0o7777, 0o644)
        // Nothing left behind but the planted links.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(names, [".config.json.tmp-", ".config.json.tmp-aaaaaaaaaaaa", "config.json", "config.json.tmp", "victim"])
        // Stray cleanup removes only regular files of ours, never a symlink (nor what it names).
        XCTAssertTrue(FileManager.default.createFile(atPath: "\(directory)/.config.json.tmp-strayXXXXXXX", contents: Data("{".utf8)))
        store.removeStrayTemporaryFiles()
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory)/.config.json.tmp-strayXXXXXXX"))
        XCTAssertEqual(mode("\(directory)/.config.json.tmp-aaaaaaaaaaaa") & S_IFMT, S_IFLNK)
        XCTAssertEqual(contents(victim), Data("root only\n".utf8))
    }

    func testAConfigSymlinkIsResolvedAndItsTargetWritten() throws {
        let target = "\(directory)/real.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data(#"{"collection_interval_ms": 750}"#.utf8)))
        let link = "\(directory)/link.json"
        XCTAssertEqual(symlink(target, link), 0)
        let store = try ConfigStore(resolving: link)
        XCTAssertEqual(store.path, target)
        XCTAssertEqual(store.configuredPath, link)
        XCTAssertEqual(try store.load()?.collectionIntervalMilliseconds, 750)
        var config = EbpfConfig.defaults
        config.collectionIntervalMilliseconds = 900
        try store.save(config)
        XCTAssertEqual(mode(link) & S_IFMT, S_IFLNK, "the symlink stays a symlink")
        XCTAssertEqual(try ConfigStore(path: target).load()?.collectionIntervalMilliseconds, 900)
        // A missing file in a directory reached through a symlink: the directory is resolved.
        XCTAssertEqual(symlink(directory, "\(directory)/alias"), 0)
        XCTAssertEqual(try ConfigStore(resolving: "\(directory)/alias/new.json").path, "\(directory)/new.json")
        // A plain file is itself.
        XCTAssertEqual(try ConfigStore(resolving: target).path, target)
    }

    func testADanglingConfigSymlinkIsRefusedWithTheReason() {
        let link = "\(directory)/dangling.json"
        XCTAssertEqual(symlink("\(directory)/missing/nothing.json", link), 0)
        XCTAssertThrowsError(try ConfigStore(resolving: link)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("symbolic link") && text.contains(link), text)
        }
    }
}
