import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskModel

extension SmoothTaskControl {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Show what the history holds: its range, collections, size, retention and recording state.",
            discussion: """
                smoothtaskd records every collection in its state directory (--state-dir, default \
                /var/lib/smoothtask). Replay it with `status --at TIME`, `top --since 1h`, \
                `cgroups --from TIME --to TIME`, `watch --replay --from TIME` and `export`.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try DaemonCall.run(.historyInfo, options: connection, as: HistoryInfo.self, render: Self.render)
        }

        static func render(_ info: HistoryInfo) -> String {
            var lines: [String] = []
            let state = info.recording ? "recording" : (info.enabled ? "stopped" : "off (enable_history=false)")
            lines.append("History:     \(state)\(info.path.map { " in \($0)" } ?? "")")
            if let oldest = info.oldestMilliseconds, let newest = info.newestMilliseconds {
                lines.append("Range:       \(time(oldest)) ... \(time(newest)) (\(span(newest - oldest)))")
            } else {
                lines.append("Range:       empty")
            }
            lines.append("Collections: \(info.collections)")
            lines.append("Size:        \(TextReport.bytes(UInt64(max(0, info.bytes)))) of \(TextReport.bytes(UInt64(info.maxBytes))), kept at most \(span(Int64(info.maxAgeSeconds) * 1000))")
            if info.dropped > 0 { lines.append("Dropped:     \(info.dropped) collections (the writer was behind)") }
            if let error = info.lastError { lines.append("Error:       \(error)") }
            return lines.joined(separator: "\n")
        }

        /// A Unix ms time as local date and time.
        static func time(_ milliseconds: Int64) -> String {
            TimeArgument.localText(milliseconds)
        }

        /// A span of milliseconds in the largest fitting unit.
        static func span(_ milliseconds: Int64) -> String {
            let seconds = Double(milliseconds) / 1000
            if seconds >= 86_400 { return String(printf: "%.1f days", seconds / 86_400) }
            if seconds >= 3600 { return String(printf: "%.1f h", seconds / 3600) }
            if seconds >= 60 { return String(printf: "%.1f min", seconds / 60) }
            return String(printf: "%.1f s", seconds)
        }
    }
}
