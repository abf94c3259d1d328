import Foundation
@testable import SmoothTaskServer
import SmoothTaskModel
import XCTest

/// Unix-socket endpoints only directly inside one directory only the daemon can write, and a
/// socket's mode never set through a symlink.
final class MetricsSocketDirectoryTests: XCTestCase {
    private func refusal(_ directory: MetricsSocketDirectory, _ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try directory.admit(path)
            XCTFail("\(path) admitted", file: file, line: line)
            return ""
        } catch {
            XCTAssertEqual(error.field, "prometheus_listen", file: file, line: line)
            XCTAssertTrue(error.message.contains(directory.path), error.message, file: file, line: line)
            return error.message
        }
    }

    func testOnlyPathsDirectlyInsideTheDirectoryAreAdmitted() throws {
        let temporary = try TemporaryDirectory()
        let directory = MetricsSocketDirectory(path: temporary.file("metrics"))
        try directory.admit(temporary.file("metrics/metrics.sock"))  // creates the directory
        var info = stat()
        XCTAssertEqual(lstat(directory.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o755)
        XCTAssertTrue(refusal(directory, "/etc/evil.sock").contains("outside"))
        XCTAssertTrue(refusal(directory, temporary.file("evil.sock")).contains("outside"))
        XCTAssertTrue(refusal(directory, temporary.file("metrics/sub/m.sock")).contains("outside"))
        XCTAssertTrue(refusal(directory, temporary.file("metrics/../evil.sock")).contains(".."))
        XCTAssertTrue(refusal(directory, temporary.file("metrics/./m.sock")).contains(".."))
        XCTAssertTrue(refusal(directory, temporary.file("metrics//m.sock")).contains(".."))
    }

    func testSymlinksAndDirectoriesOthersCanWriteAreRefused() throws {
        let temporary = try TemporaryDirectory()
        let directory = MetricsSocketDirectory(path: temporary.file("metrics"))
        XCTAssertEqual(mkdir(directory.path, 0o755), 0)
        // A symlink where the socket would go.
        XCTAssertEqual(symlink("/etc/passwd", temporary.file("metrics/link.sock")), 0)
        XCTAssertTrue(refusal(directory, temporary.file("metrics/link.sock")).contains("symbolic link"))
        // The directory itself through a symlink.
        XCTAssertEqual(symlink(directory.path, temporary.file("alias")), 0)
        let aliased = MetricsSocketDirectory(path: temporary.file("alias"))
        XCTAssertTrue(refusal(aliased, temporary.file("alias/m.sock")).contains("symbolic link"))
        // Writable by others: anyone could plant a symlink between the checks and the bind.
        XCTAssertEqual(chmod(directory.path, 0o777), 0)
        XCTAssertTrue(refusal(directory, temporary.file("metrics/m.sock")).contains("writable by it alone"))
        XCTAssertEqual(chmod(directory.path, 0o755), 0)
        // A parent others may rename entries in (not sticky).
        XCTAssertEqual(chmod(temporary.path, 0o777), 0)
        XCTAssertTrue(refusal(directory, temporary.file("metrics/m.sock")).contains("may be changed by other users"))
        XCTAssertEqual(chmod(temporary.path, 0o755), 0)
        try directory.admit(temporary.file("metrics/m.sock"))
    }

    func testSocketModeIsNeverSetThroughASymlink() throws {
        let temporary = try TemporaryDirectory()
        let victim = temporary.file("victim")
        XCTAssertTrue(FileManager.default.createFile(atPath: victim, contents: Data("secret".utf8), attributes: [.posixPermissions: 0o600]))
        XCTAssertEqual(symlink(victim, temporary.file("link.sock")), 0)
        var info = stat()
        XCTAssertEqual(stat(victim, &info), 0)
        let identity = SocketFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        XCTAssertThrowsError(try SocketFileMode.set(0o666, at: temporary.file("link.sock"), expecting: identity))
        // Not a socket either, even named directly.
        XCTAssertThrowsError(try SocketFileMode.set(0o666, at: victim, expecting: identity))
        XCTAssertEqual(stat(victim, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }
}
