#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import SmoothTaskModel

/// The configuration file: read at start and on SIGHUP, rewritten by every accepted `config.set`.
///
/// The file is a JSON object of ``EbpfConfig`` keys; absent keys take their default, unknown keys
/// and out-of-range values are refused. Writes are atomic: the new content goes to a temporary file
/// in the same directory, is flushed to disk, and replaces the old file with `rename(2)`, then the
/// directory is flushed so the rename itself survives a power cut. A reader (or a daemon killed at
/// any instant) therefore sees either the old file or the new one, never a mix.
public struct ConfigStore: Sendable {
    /// Where the packaged service keeps it (systemd's `ConfigurationDirectory=smoothtask`).
    public static let defaultPath = "/etc/smoothtask/config.json"
    /// Mode of a newly written file: the configuration holds no secret, so admins may read it.
    static let fileMode: mode_t = 0o644
    /// Mode of the directory when the store has to create it.
    static let directoryMode: mode_t = 0o755

    /// The file's path.
    public let path: String

    /// A store for the file at `path`; nothing is read until ``load()``.
    public init(path: String) {
        self.path = path
    }

    /// The temporary file a write goes through. One fixed name, not one per write, so a daemon
    /// killed mid-write leaves at most one stray file, which the next write reuses.
    var temporaryPath: String { path + ".tmp" }

    /// The configuration in the file, or `nil` when there is no file (the daemon then starts with
    /// the defaults).
    public func load() throws(ConfigFileError) -> EbpfConfig? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try decode(data)
    }

    /// Parses file content into a validated configuration.
    func decode(_ data: Data) throws(ConfigFileError) -> EbpfConfig {
        let patch: EbpfConfigPatch
        do {
            patch = try JSONDecoder().decode(EbpfConfigPatch.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            throw invalidType(at: context)
        } catch let DecodingError.valueNotFound(_, context) {
            throw invalidType(at: context)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw .invalidValue(path: path, key: context.codingPath[0].stringValue, message: context.debugDescription)
        } catch {
            throw .malformed(path: path, reason: "not a JSON object of configuration keys (\(Self.reason(error)))")
        }
        do {
            return try EbpfConfig.defaults.applying(patch)
        } catch {
            throw .invalidValue(path: path, key: error.field, message: error.message)
        }
    }

    /// Replaces the file with `config`, atomically (see the type's documentation). Creates the
    /// directory if it is missing. On failure the previous file is untouched.
    public func save(_ config: EbpfConfig) throws(ConfigFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var bytes: Data
        do {
            bytes = try encoder.encode(config)
        } catch {
            throw .cannotSave(path: path, reason: Self.reason(error))
        }
        bytes.append(UInt8(ascii: "\n"))
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        if mkdir(directory, Self.directoryMode) != 0, errno != EEXIST {
            throw .cannotSave(path: path, reason: "creating \(directory): \(Self.text(errno))")
        }
        try writeDurably(bytes, to: temporaryPath)
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .cannotSave(path: path, reason: "rename: \(Self.text(code))")
        }
        // Without this the rename may be lost in a crash even though the data blocks are on disk.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw .cannotSave(path: path, reason: "opening \(directory): \(Self.text(errno))") }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw .cannotSave(path: path, reason: "fsync \(directory): \(Self.text(errno))") }
    }

    private func writeDurably(_ bytes: Data, to file: String) throws(ConfigFileError) {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Self.fileMode)
        guard descriptor >= 0 else { throw .cannotSave(path: path, reason: "creating \(file): \(Self.text(errno))") }
        var failure: Int32?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if let failure {
            unlink(file)
            throw .cannotSave(path: path, reason: "writing \(file): \(Self.text(failure))")
        }
    }

    private func invalidType(at context: DecodingError.Context) -> ConfigFileError {
        let key = context.codingPath.first?.stringValue ?? "?"
        let expected =
            key == "collection_interval_ms"
            ? "an integer number of milliseconds, \(EbpfConfig.minimumIntervalMilliseconds)...\(EbpfConfig.maximumIntervalMilliseconds)"
            : "true or false"
        return .invalidValue(path: path, key: key, message: "\(key) must be \(expected)")
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as? NSError)?.localizedDescription ?? context.debugDescription
        }
        return error.localizedDescription
    }
}
