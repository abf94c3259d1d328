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
///
/// The directory may be writable by others (an admin's scratch directory, a misconfigured /etc), so
/// nothing a write creates or touches can be redirected by a planted symlink: the temporary file has
/// a fresh random name and is created with `O_CREAT | O_EXCL | O_NOFOLLOW` relative to a descriptor
/// of the directory, its mode is set on its descriptor (`fchmod`), and `rename` replaces the
/// directory entry, never the file a symlink there points at. A `--config` that is itself a symlink
/// is resolved once, at start (``init(resolving:)``), and its target is what is read and written.
public struct ConfigStore: Sendable {
    /// Where the packaged service keeps it (systemd's `ConfigurationDirectory=smoothtask`).
    public static let defaultPath = "/etc/smoothtask/config.json"
    /// Mode of a newly written file: the configuration holds no secret, so admins may read it.
    static let fileMode: mode_t = 0o644
    /// Mode of the directory when the store has to create it.
    static let directoryMode: mode_t = 0o755
    /// Random characters in a temporary file's name: 62^12 names, so a name an attacker guessed and
    /// planted beforehand is never the one chosen (and `O_EXCL` refuses it if it were).
    static let temporaryNameRandomCharacters = 12
    /// Fresh names tried when one is taken (`EEXIST`) before a write gives up.
    static let temporaryNameAttempts = 16

    /// The file's path, as read and written: the target when the configured path was a symlink.
    public let path: String
    /// The path the daemon was given (`--config`), which differs from ``path`` when it was a symlink
    /// (or led through one).
    public let configuredPath: String

    /// A store for the file at `path` exactly as given; nothing is read until ``load()``.
    public init(path: String) {
        self.path = path
        self.configuredPath = path
    }

    /// A store for the file `path` resolves to now: symlinks in it (the file itself or a directory
    /// on the way) are followed once, here, and never again, so the daemon reads and replaces the
    /// target rather than replacing the symlink with a regular file. A missing file is fine (its
    /// directory is resolved); a symlink whose target cannot be resolved is refused.
    /// - Throws: ``ConfigFileError/unresolvableSymlink(path:reason:)`` for a dangling or looping symlink.
    public init(resolving path: String) throws(ConfigFileError) {
        configuredPath = path
        var info = stat()
        if lstat(path, &info) == 0 {
            if let resolved = Self.realPath(path) {
                self.path = resolved
            } else if (info.st_mode & S_IFMT) == S_IFLNK {
                throw .unresolvableSymlink(path: path, reason: Self.text(errno))
            } else {
                self.path = path
            }
            return
        }
        // No file yet: resolve its directory, so the file is created where later reads will look.
        let name = (path as NSString).lastPathComponent
        let directory = Self.directory(of: path)
        if let resolved = Self.realPath(directory) {
            self.path = (resolved as NSString).appendingPathComponent(name)
        } else {
            self.path = path
        }
    }

    /// Prefix of the temporary files a write goes through, hidden and named after the file so a
    /// stray one (left by a daemon killed mid-write) says whose it is.
    var temporaryPrefix: String { "." + (path as NSString).lastPathComponent + ".tmp-" }

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
            throw invalidType(at: context, in: data)
        } catch let DecodingError.valueNotFound(_, context) {
            throw invalidType(at: context, in: data)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw invalidValue(key: context.codingPath[0].stringValue, message: context.debugDescription, in: data)
        } catch {
            throw .malformed(path: path, reason: "not a JSON object of configuration keys (\(Self.reason(error)))")
        }
        do {
            return try EbpfConfig.defaults.applying(patch)
        } catch {
            throw invalidValue(key: error.field, message: error.message, in: data)
        }
    }

    /// A refused value, its message led by the key's line in the file when the key is found there,
    /// so `status` and `check` point at the exact place to fix.
    private func invalidValue(key: String, message: String, in data: Data) -> ConfigFileError {
        let located = Self.line(ofKey: key, in: data).map { "line \($0): \(message)" } ?? message
        return .invalidValue(path: path, key: key, message: located)
    }

    /// The 1-based line where `"key"` first appears as an object key (followed by a colon), if it does.
    static func line(ofKey key: String, in data: Data) -> Int? {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        let quoted = "\"\(key)\""
        var searchFrom = text.startIndex
        while let found = text.range(of: quoted, range: searchFrom..<text.endIndex) {
            if text[found.upperBound...].first(where: { !$0.isWhitespace }) == ":" {
                return text[..<found.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            }
            searchFrom = found.upperBound
        }
        return nil
    }

    /// Replaces the file with `config`, atomically (see the type's documentation). Creates the
    /// directory if it is missing. On failure the previous file is untouched and no temporary file
    /// is left behind.
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
        let directory = Self.directory(of: path)
        if mkdir(directory, Self.directoryMode) != 0, errno != EEXIST {
            throw .cannotSave(path: path, reason: "creating \(directory): \(Self.text(errno))")
        }
        // Every step below names files relative to this descriptor, so a directory swapped meanwhile
        // cannot redirect the write.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw .cannotSave(path: path, reason: "opening \(directory): \(Self.text(errno))") }
        defer { close(directoryDescriptor) }
        let name = (path as NSString).lastPathComponent
        let temporary = try writeTemporaryFile(bytes, in: directoryDescriptor)
        guard renameat(directoryDescriptor, temporary, directoryDescriptor, name) == 0 else {
            let code = errno
            unlinkat(directoryDescriptor, temporary, 0)
            throw .cannotSave(path: path, reason: "rename: \(Self.text(code))")
        }
        // Without this the rename may be lost in a crash even though the data blocks are on disk.
        guard fsync(directoryDescriptor) == 0 else { throw .cannotSave(path: path, reason: "fsync \(directory): \(Self.text(errno))") }
    }

    /// Removes temporary files a daemon killed mid-write left in the file's directory; called once at
    /// start, before any write. Only regular files this process's user owns are removed, and
    /// `unlinkat` removes a directory entry, never what a symlink names.
    public func removeStrayTemporaryFiles() {
        let directory = Self.directory(of: path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { return }
        defer { close(directoryDescriptor) }
        for name in names where name.hasPrefix(temporaryPrefix) {
            var info = stat()
            guard fstatat(directoryDescriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0,
                (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid()
            else { continue }
            unlinkat(directoryDescriptor, name, 0)
        }
    }

    /// Creates a temporary file with a fresh random name in the directory, writes `bytes` to it and
    /// flushes it; returns its name. Creation refuses anything already at that name, symlink or not.
    private func writeTemporaryFile(_ bytes: Data, in directoryDescriptor: Int32) throws(ConfigFileError) -> String {
        var name = ""
        var descriptor: Int32 = -1
        for _ in 0..<Self.temporaryNameAttempts {
            name = temporaryPrefix + Self.randomCharacters(Self.temporaryNameRandomCharacters)
            // 0600 until fchmod: the final mode is not left to the umask.
            descriptor = openat(directoryDescriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw .cannotSave(path: path, reason: "creating a temporary file: \(Self.text(errno))") }
        var failure: (step: String, code: Int32)?
        if fchmod(descriptor, Self.fileMode) != 0 { failure = ("fchmod", errno) }
        if failure == nil {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = ("writing", errno)
                        return
                    }
                    offset += written
                }
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = ("fsync", errno) }
        close(descriptor)
        if let failure {
            unlinkat(directoryDescriptor, name, 0)
            throw .cannotSave(path: path, reason: "\(failure.step) \(name): \(Self.text(failure.code))")
        }
        return name
    }

    private static func randomCharacters(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    private static func directory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    /// `realpath(3)`: `path` with every symlink, `.` and `..` resolved; `nil` with errno set if it cannot be.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func invalidType(at context: DecodingError.Context, in data: Data) -> ConfigFileError {
        let key = context.codingPath.first?.stringValue ?? "?"
        let expected =
            key == "collection_interval_ms"
            ? "an integer number of milliseconds, \(EbpfConfig.minimumIntervalMilliseconds)...\(EbpfConfig.maximumIntervalMilliseconds)"
            : "true or false"
        return invalidValue(key: key, message: "\(key) must be \(expected)", in: data)
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as? NSError)?.localizedDescription ?? context.debugDescription
        }
        return error.localizedDescription
    }
}
