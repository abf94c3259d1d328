import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--since`, `--from`, `--to`: a recorded range for `top`, `cgroups` and `export`.
struct HistoryRangeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("From this long ago until now, from the history (e.g. 1h, 10m).", valueName: "duration"))
    var since: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Start of a recorded range: \(TimeArgument.help).", valueName: "time"))
    var from: TimeArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("End of a recorded range (default now).", valueName: "time"))
    var to: TimeArgument?

    func validate() throws {
        if let since, TimeArgument.duration(since.lowercased()) == nil {
            throw ValidationError("--since takes a duration such as 1h, 10m or \"2 days\" (got \(since))")
        }
        if since != nil, from != nil { throw ValidationError("give --since or --from, not both") }
        if let from, let to, from.milliseconds > to.milliseconds { throw ValidationError("--to is before --from") }
    }

    /// The range asked for, `nil` when none of the options is given (a live answer).
    var range: (from: Int64, to: Int64)? {
        let now = TimeArgument.nowMilliseconds()
        if let since, let ago = TimeArgument.duration(since.lowercased()) { return (now - ago, to?.milliseconds ?? now) }
        if let from { return (from.milliseconds, to?.milliseconds ?? now) }
        if let to { return (0, to.milliseconds) }
        return nil
    }
}
