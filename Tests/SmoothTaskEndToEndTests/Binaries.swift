import Foundation

/// Where the built `smoothtaskd` and `smoothtaskctl` are: beside the test bundle, or $SMOOTHTASK_BIN_DIR.
enum Binaries {
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["SMOOTHTASK_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        // The test runner executable lives in the same build folder as the products.
        var url = Bundle.main.bundleURL
        while url.pathExtension == "xctest" || url.lastPathComponent.hasSuffix(".xctest") {
            url.deleteLastPathComponent()
        }
        return url
    }

    static var daemon: URL { directory.appendingPathComponent("smoothtaskd") }
    static var control: URL { directory.appendingPathComponent("smoothtaskctl") }

    static func requireBuilt() throws {
        for binary in [daemon, control] where !FileManager.default.isExecutableFile(atPath: binary.path) {
            throw BinaryMissing(path: binary.path)
        }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is not built: run `swift build` first (`make test` does)" }
    }
}
