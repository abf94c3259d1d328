import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Cgroups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cgroups",
            abstract: "Show CPU use per cgroup or per systemd unit over the latest window.",
            discussion: """
                Measured in the kernel by the cgroup_cpu eBPF program on sched_switch (switch it off \
                with `config set enable_cgroup_metrics=false`). --by unit adds each cgroup to the \
                deepest systemd unit (.service, .scope, .slice, ...) on its path.

                Examples:
                  smoothtaskctl cgroups                   the 10 busiest cgroups
                  smoothtaskctl cgroups --by unit --limit 5
                  smoothtaskctl cgroups --by unit --since 1h   CPU per unit over the last hour (history)
                """
        )

        @Option(name: .long, help: ArgumentHelp("Group per cgroup or per systemd unit.", valueName: "cgroup|unit"))
        var by: CgroupGrouping = .cgroup

        @Option(name: .long, help: ArgumentHelp("Rows to show, 1...\(CgroupsTopParams.maximumLimit).", valueName: "n"))
        var limit: Int = CgroupsTopParams.defaultLimit

        @OptionGroup var range: HistoryRangeOptions

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard (1...CgroupsTopParams.maximumLimit).contains(limit) else {
                throw ValidationError("--limit must be 1...\(CgroupsTopParams.maximumLimit)")
            }
        }

        func run() async throws {
            try DaemonCall.run(
                .cgroupsTop, params: CgroupsTopParams(limit: limit, by: by, from: range.range?.from, to: range.range?.to), options: connection,
                as: CgroupsReport.self, render: CgroupsTable.render
            )
        }
    }
}

extension CgroupGrouping: ExpressibleByArgument {}
