#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import SmoothTaskProtocol

/// Why a call to the daemon could not be made; each description is one line: what happened, what to do.
///
/// Errors the daemon itself replied with are thrown as ``RPCError`` instead.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The socket could not be connected; `reason` is the system's reason plus a hint.
    case cannotConnect(path: String, reason: String)
    /// The daemon closed the connection before replying.
    case connectionClosed
    /// The daemon's reply could not be read.
    case malformedReply(String)

    public var description: String {
        switch self {
        case .cannotConnect(let path, let reason):
            "cannot connect to \(path): \(reason)"
        case .connectionClosed:
            "smoothtaskd closed the connection before replying (did it stop or restart? try again)"
        case .malformedReply(let detail):
            "malformed reply from smoothtaskd: \(detail) (are smoothtaskctl and smoothtaskd the same version?)"
        }
    }

    /// How to get a daemon running, quoted by the messages that find none.
    static let startHint = "start it with `systemctl start smoothtask.socket` or `sudo make run`"

    /// The `cannotConnect` error for a failed connect, its reason naming the errno and a remedy.
    static func cannotConnect(path: String, error: any Error) -> ClientError {
        if let error = error as? SocketAddressError, case .unixDomainSocketPathTooLong = error {
            return pathTooLong(path)
        }
        guard let code = errorCode(of: error) else {
            return .cannotConnect(path: path, reason: "\(error) (check --socket or SMOOTHTASK_SOCKET)")
        }
        return cannotConnect(path: path, errno: code)
    }

    /// The `malformedReply` error for a reply frame whose header declares more than the protocol allows.
    static func oversizedReply(declaredBytes: Int) -> ClientError {
        .malformedReply("reply frame of \(declaredBytes) bytes exceeds the \(ProtocolConstants.maxPayloadBytes)-byte limit")
    }

    /// The `cannotConnect` error for a socket path longer than `sockaddr_un` holds.
    static func pathTooLong(_ path: String) -> ClientError {
        .cannotConnect(path: path, reason: "path is longer than a Unix socket allows (107 bytes) (pass a shorter --socket)")
    }

    /// The `cannotConnect` error for connect(2) failing with `code`: the errno's text and a remedy.
    static func cannotConnect(path: String, errno code: Int32) -> ClientError {
        // connect() refuses a path that is no socket at all as it refuses a stale one: name what it is.
        if let kind = notASocket(path) { return .cannotConnect(path: path, reason: kind) }
        let text = String(cString: strerror(code))
        let hint = switch code {
        case ENOENT:
            "is smoothtaskd running? \(startHint)"
        case ECONNREFUSED:
            "the socket file is stale: smoothtaskd is not running; \(startHint)"
        case EACCES, EPERM:
            "permission denied on the socket or its directory; smoothtaskd makes the socket 0666, "
                + "so check the directory's permissions and that this path is smoothtaskd's socket"
        case ENOTDIR:
            "a directory in the path is not a directory; check --socket or SMOOTHTASK_SOCKET"
        default:
            "check --socket or SMOOTHTASK_SOCKET"
        }
        return .cannotConnect(path: path, reason: "\(text) (\(hint))")
    }

    /// What `path` is when it is not a socket, with what to do: `it is a directory, not a socket (...)`;
    /// `nil` for a socket or a path that cannot be examined.
    static func notASocket(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        guard type != S_IFSOCK else { return nil }
        let kind = switch type {
        case S_IFDIR: "a directory"
        case S_IFREG: "a regular file"
        default: "a device or FIFO"
        }
        return "it is \(kind), not a socket (pass smoothtaskd's socket with --socket or SMOOTHTASK_SOCKET; "
            + "default \(ProtocolConstants.defaultSocketPath))"
    }

    /// The errno inside one of NIO's connect errors.
    private static func errorCode(of error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.lazy.compactMap { errorCode(of: $0.error) }.first
        }
        return nil
    }
}
