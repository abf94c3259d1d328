import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Top: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "top",
            abstract: "Show the processes active in the last interval: CPU, syscalls, page faults, reclaim stalls.",
            discussion: """
                Columns come from the eBPF programs over the latest collection interval (CPU from \
                sched_switch, syscalls from sys_enter, user-mode page faults and reclaim stalls from \
                memory_events); RSS is read from /proc now. A column shows `-` when its program is \
                switched off, with the reason below the table.

                Examples:
                  smoothtaskctl top                          20 busiest processes by CPU
                  smoothtaskctl top --sort faults --limit 5
                  smoothtaskctl top --user root --comm ssh
                  smoothtaskctl top --since 1h               busiest over the last hour, from the history
                  smoothtaskctl top --from 03:00 --to 03:10
                """
        )

        @Option(help: ArgumentHelp("Order by cpu, syscalls, faults or reclaim.", valueName: "column"))
        var sort: ProcessTopSort = .cpu

        @Option(help: "Rows to show, 1...\(ProcessTopQuery.maximumLimit).")
        var limit: Int = ProcessTopQuery.defaultLimit

        @Option(help: "Only this process id.")
        var pid: Int32?

        @Option(help: ArgumentHelp("Only processes of this user (name or uid).", valueName: "user"))
        var user: String?

        @Option(help: ArgumentHelp("Only processes whose command name contains this text.", valueName: "text"))
        var comm: String?

        @OptionGroup var range: HistoryRangeOptions

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard (1...ProcessTopQuery.maximumLimit).contains(limit) else {
                throw ValidationError("--limit must be 1...\(ProcessTopQuery.maximumLimit) (got \(limit))")
            }
        }

        func run() async throws {
            var query = ProcessTopQuery(sort: sort, limit: limit, pid: pid, user: user, comm: comm)
            // --since/--from/--to: totals over a recorded range (history), same table.
            (query.from, query.to) = (range.range?.from, range.range?.to)
            try await DaemonCall.run(
                .processesTop, params: query, options: connection, as: ProcessTop.self, render: TextReport.processTop
            )
        }
    }
}

extension ProcessTopSort: ExpressibleByArgument {}
