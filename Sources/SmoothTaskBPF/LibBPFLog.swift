import CLibBPF
import Logging
import Synchronization

/// Routes libbpf's messages to a swift-log `Logger`.
///
/// libbpf has one process-wide print callback without a context argument, so the logger it writes
/// to is process-wide too: the one most recently passed to ``route(to:)``.
enum LibBPFLog {
    private static let destination = Mutex<Logger?>(nil)

    /// Sends every later libbpf message to `logger`.
    static func route(to logger: Logger) {
        destination.withLock { $0 = logger }
        smoothtask_libbpf_set_line_sink { level, line in
            guard let line, let logger = LibBPFLog.destination.withLock({ $0 }) else { return }
            logger.log(
                level: LibBPFLog.logLevel(libbpfLevel: level),
                "libbpf",
                metadata: ["libbpf.message": "\(String(cString: line))"]
            )
        }
    }

    private static func logLevel(libbpfLevel: Int32) -> Logger.Level {
        switch UInt32(bitPattern: libbpfLevel) {
        case LIBBPF_WARN.rawValue: .warning
        case LIBBPF_INFO.rawValue: .info
        default: .debug
        }
    }
}
