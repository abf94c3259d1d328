/// Why the configuration file could not be read or written; each description is one line naming
/// the file (and the key, for a bad value) and saying what to do.
public enum ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but could not be read (permissions, I/O).
    case unreadable(path: String, reason: String)
    /// The file is not a JSON object of configuration keys.
    case malformed(path: String, reason: String)
    /// A key holds a value of the wrong type or out of its allowed range; `message` names the key
    /// and what it allows.
    case invalidValue(path: String, key: String, message: String)
    /// Writing the new configuration failed; the previous file is intact.
    case cannotSave(path: String, reason: String)
    /// `--config` is a symlink whose target cannot be resolved (dangling, a loop, no permission).
    case unresolvableSymlink(path: String, reason: String)

    /// The file at fault.
    public var path: String {
        switch self {
        case .unreadable(let path, _), .malformed(let path, _), .invalidValue(let path, _, _), .cannotSave(let path, _),
            .unresolvableSymlink(let path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot read: \(reason); make it readable by smoothtaskd or pass another --config"
        case .malformed(let path, let reason):
            "\(path): \(reason); fix the file or remove it to start with the defaults"
        case .invalidValue(let path, _, let message):
            "\(path): \(message); fix the file or remove it to start with the defaults"
        case .cannotSave(let path, let reason):
            "cannot save the configuration to \(path): \(reason); make its directory writable by smoothtaskd or pass another --config"
        case .unresolvableSymlink(let path, let reason):
            "\(path): is a symbolic link whose target cannot be resolved (\(reason)); point it at an existing "
                + "file, or pass the real file's path to --config"
        }
    }
}
