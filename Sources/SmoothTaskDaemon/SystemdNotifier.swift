#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells systemd (a `Type=notify` unit) how the daemon is doing, with the `sd_notify(3)` protocol:
/// one datagram of `KEY=value` lines to the AF_UNIX socket named by `$NOTIFY_SOCKET`.
///
/// Implemented here rather than by linking libsystemd: the protocol is one `sendto(2)`, and the
/// binary then runs the same with or without systemd installed. Without `$NOTIFY_SOCKET` (not
/// started by systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The environment variable systemd sets for `Type=notify` services.
    public static let socketVariable = "NOTIFY_SOCKET"
    /// Microseconds within which systemd expects `WATCHDOG=1` (the unit's `WatchdogSec=`).
    public static let watchdogVariable = "WATCHDOG_USEC"
    /// The pid the watchdog is meant for; absent means the main process.
    public static let watchdogPIDVariable = "WATCHDOG_PID"

    /// The notification socket's address: a path, or `@name` for an abstract socket.
    public let socketAddress: String?
    /// How often systemd wants `WATCHDOG=1`, if it watches this process.
    public let watchdogTimeout: Duration?

    /// Reads `$NOTIFY_SOCKET`, `$WATCHDOG_USEC` and `$WATCHDOG_PID` from `environment`.
    public init(environment: [String: String]) {
        let address = environment[Self.socketVariable]
        socketAddress = address?.isEmpty == false ? address : nil
        let forUs = environment[Self.watchdogPIDVariable].map { Int32($0) == getpid() } ?? true
        if forUs, let microseconds = environment[Self.watchdogVariable].flatMap(UInt64.init), microseconds > 0 {
            watchdogTimeout = .microseconds(microseconds)
        } else {
            watchdogTimeout = nil
        }
    }

    /// True when started by systemd with a notification socket.
    public var isActive: Bool { socketAddress != nil }

    /// Sends `READY=1` with a status line.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    /// Sends a status line shown by `systemctl status`.
    public func status(_ text: String) { send("STATUS=\(text)") }
    /// Sends `RELOADING=1`; follow with ``ready(status:)`` when the reload is done.
    public func reloading() { send("RELOADING=1\nSTATUS=Reloading the configuration") }
    /// Sends `STOPPING=1`.
    public func stopping() { send("STOPPING=1\nSTATUS=Stopping") }
    /// Sends `WATCHDOG=1`: the daemon is alive.
    public func watchdog() { send("WATCHDOG=1") }

    /// Sends one notification; failures are ignored, as with `sd_notify`: the service manager's
    /// absence must not stop the daemon. Never blocks: a receiver that stopped reading (a full
    /// datagram queue) must not stall the task that pings.
    /// - Returns: true when the datagram was sent.
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let socketAddress else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketAddress.utf8)
        // "@name" is an abstract socket: the address starts with a NUL byte instead of '@'.
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let sent = message.utf8CString.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes.baseAddress, bytes.count - 1, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), $0, length)
                }
            }
        }
        return sent >= 0
    }
}
