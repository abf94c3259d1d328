import Foundation
import Logging

/// A log handler that keeps every record, to check what the server and the daemon log.
public final class CapturedLogs: @unchecked Sendable {
    /// One log call as it was made.
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    private let lock = NSLock()
    private var storage: [Record] = []

    /// Everything logged so far, oldest first.
    public var records: [Record] { lock.withLock { storage } }

    public init() {}

    func append(_ record: Record) { lock.withLock { storage.append(record) } }

    /// A logger at `.debug` that records into this object.
    public func logger() -> Logger {
        var logger = Logger(label: "smoothtask.test") { _ in Handler(logs: self) }
        logger.logLevel = .debug
        return logger
    }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            logs.append(Record(
                level: event.level,
                message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }
            ))
        }
    }
}
