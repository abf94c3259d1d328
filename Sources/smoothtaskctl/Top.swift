import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Top: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "top",
            abstract: "Show the processes active in the last interval, their lifetime totals, or the recently exited.",
            discussion: """
                Columns come from the eBPF programs over the latest collection interval (CPU from \
                sched_switch, syscalls from sys_exit, user-mode page faults and reclaim stalls from \
                memory_events); RSS is read from /proc now. A column shows `-` when its program is \
                switched off, with the reason below the table.

                Processes that exited during the interval are listed too, by the name the kernel had \
                for them, and marked `[exited: code N]` or `[exited: SIGNAME]`; their columns are what \
                they did in that interval (--no-exited leaves them out).

                --total shows and sorts by lifetime totals instead (TIME+ is CPU time as h:mm:ss.cc, \
                as top's TIME+): since the process started, or, marked `*`, since the daemon began \
                accounting when the process is older than that.

                --exited lists the processes that exited recently (smoothtaskd keeps the last 10,000 \
                by default, --exited-processes), newest first: parent, lifetime, exit status and \
                totals, even for processes that lived a few milliseconds. CPU and syscalls always have \
                a column; faults, reclaim, disk and network bytes only when some row has them.

                On a terminal, the window view takes the full screen and refreshes with each \
                collection: keys sort (c cpu, m memory, s syscalls, F faults, d disk, n net, p pid, \
                U user, o command; < and > step), filter (/ or f: user:NAME, cgroup:TEXT, comm:TEXT; \
                u and g open it for user or cgroup; Esc clears), t shows the tree by parent, H each \
                process's threads (CPU per thread from /proc/PID/task), space \
                pauses, Left and Right step through the recorded collections (End: live), h lists \
                the keys, q quits. Colour follows NO_COLOR; TERM=dumb, a pipe, --once and --json \
                print the table once, as plain text.

                Examples:
                  smoothtaskctl top                          full screen on a terminal; else 20 busiest by CPU
                  smoothtaskctl top --once                   the table once, as plain text
                  smoothtaskctl top --sort faults --limit 5
                  smoothtaskctl top --user root --comm ssh
                  smoothtaskctl top --total                  most CPU since start (TIME+)
                  smoothtaskctl top --total --sort syscalls --no-exited
                  smoothtaskctl top --exited                 the 20 latest exits
                  smoothtaskctl top --exited --sort cpu --comm cc1 --limit 50
                  smoothtaskctl top --exited --pid 4242 --json
                  smoothtaskctl top --since 1h               busiest over the last hour, from the history
                  smoothtaskctl top --from 03:00 --to 03:10
                """
        )

        @Option(
            help: ArgumentHelp(
                "Order by cpu, syscalls, faults or reclaim; with --exited by \(ExitedProcessSort.allCases.map(\.rawValue).joined(separator: ", ")).",
                valueName: "column"
            ),
            completion: .list(Self.sortNames)
        )
        var sort: String?

        // Unconditional, so `--limit -1` reaches the range check instead of reading as a missing value.
        @Option(
            parsing: .unconditional,
            help: "Rows to show, 1...\(ProcessTopQuery.maximumLimit) (with --exited 1...\(ExitedProcessesQuery.maximumLimit))."
        )
        var limit: Int = ProcessTopQuery.defaultLimit

        @Option(help: "Only this process id.")
        var pid: Int32?

        @Option(help: ArgumentHelp("Only processes of this user (name or uid).", valueName: "user"))
        var user: String?

        @Option(help: ArgumentHelp(
            "Only processes whose command name (with --exited: or command line) contains this text.", valueName: "text"
        ))
        var comm: String?

        @Flag(help: "Show and sort by lifetime totals (CPU as TIME+, syscalls, faults, disk and network bytes).")
        var total = false

        @Flag(name: .customLong("no-exited"), help: "Leave out the processes that exited during the interval.")
        var noExited = false

        @Flag(help: "List recently exited processes: lifetime, exit status and totals (newest first).")
        var exited = false

        @Flag(help: "Take the full screen even when standard output is not a terminal.")
        var interactive = false

        @Flag(help: "Print the table once as plain text, even on a terminal.")
        var once = false

        @OptionGroup var range: HistoryRangeOptions

        @OptionGroup var connection: ConnectionOptions

        /// Every name --sort takes in one mode or the other, for shell completion.
        private static var sortNames: [String] {
            var names = ProcessTopSort.allCases.map(\.rawValue)
            names += ExitedProcessSort.allCases.map(\.rawValue).filter { !names.contains($0) }
            return names
        }

        func validate() throws {
            if let user { try UserArgument.check(user) }
            if interactive, once || connection.json || exited || total || pid != nil || range.range != nil {
                throw ValidationError("--interactive shows the live window full screen: drop --once, --json, --exited, --total, --pid and the range")
            }
            if exited {
                if noExited { throw ValidationError("--exited lists only exited processes; --no-exited leaves them out: use one of them") }
                if total { throw ValidationError("--exited always shows lifetime totals: drop --total (sort with --sort cpu, syscalls, ...)") }
                _ = try exitedSort()
                guard (1...ExitedProcessesQuery.maximumLimit).contains(limit) else {
                    throw ValidationError("--limit must be 1...\(ExitedProcessesQuery.maximumLimit) with --exited (got \(limit))")
                }
            } else {
                _ = try topSort()
                guard (1...ProcessTopQuery.maximumLimit).contains(limit) else {
                    throw ValidationError("--limit must be 1...\(ProcessTopQuery.maximumLimit) (got \(limit))")
                }
            }
        }

        func run() async throws {
            if exited {
                let query = ExitedProcessesQuery(sort: try exitedSort(), limit: limit, pid: pid, user: user, comm: comm)
                try DaemonCall.run(
                    .processesExited, params: query, options: connection, as: ExitedProcesses.self, render: TextReport.exitedProcesses
                )
                return
            }
            let policy = ScreenPolicy.current(
                interactive: interactive, plain: once || connection.json || total || pid != nil || range.range != nil
            )
            if policy.fullScreen {
                try await TopScreen(sort: try topSort(), user: user, comm: comm, connection: connection, policy: policy).run()
                return
            }
            var query = ProcessTopQuery(
                sort: try topSort(), limit: limit, pid: pid, user: user, comm: comm, total: total, includeExited: !noExited
            )
            // --since/--from/--to: totals over a recorded range (history), same table.
            (query.from, query.to) = (range.range?.from, range.range?.to)
            let total = total
            try DaemonCall.run(
                .processesTop, params: query, options: connection, as: ProcessTop.self,
                render: { total ? TextReport.processTotals($0) : TextReport.processTop($0) }
            )
        }

        /// --sort for `processes.top`: cpu unless given.
        private func topSort() throws -> ProcessTopSort {
            guard let sort else { return .cpu }
            guard let order = ProcessTopSort(rawValue: sort) else {
                let hint = ExitedProcessSort(rawValue: sort) != nil ? " (\(sort) is a sort of --exited)" : ""
                throw ValidationError(
                    "--sort must be one of \(ProcessTopSort.allCases.map(\.rawValue).joined(separator: ", ")) (got \(sort))\(hint)"
                )
            }
            return order
        }

        /// --sort for `processes.exited`: exit_time unless given.
        private func exitedSort() throws -> ExitedProcessSort {
            guard let sort else { return .exitTime }
            guard let order = ExitedProcessSort(rawValue: sort) else {
                throw ValidationError(
                    "--sort with --exited must be one of \(ExitedProcessSort.allCases.map(\.rawValue).joined(separator: ", ")) (got \(sort))"
                )
            }
            return order
        }
    }
}
