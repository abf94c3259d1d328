import Foundation

/// Copies of `Tests/Tools` scripts that user `nobody` can read: a checkout may live where nobody
/// cannot reach it (a 0700 temporary directory, /root), so attacks run as nobody load their script
/// from here.
enum NobodyReadableTool {
    private static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools")
    private static let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("smoothtask-tools-\(getpid())")
    private static let lock = NSLock()

    /// The path of a world-readable copy of `Tests/Tools/name`, made on first use.
    static func path(_ name: String) throws -> String {
        try lock.withLock {
            let copy = directory.appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: copy.path) {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
                try FileManager.default.copyItem(at: tools.appendingPathComponent(name), to: copy)
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy.path)
            }
            return copy.path
        }
    }
}
