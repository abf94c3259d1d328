import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Overhead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "overhead",
            abstract: "Show what monitoring costs: the daemon's CPU and memory, and each eBPF program's kernel time.",
            discussion: """
                The daemon's CPU % and resident memory are always shown. Per-program run counts and \
                nanoseconds per event need the kernel to count them, which only root can switch on: \
                `sysctl kernel.bpf_stats_enabled=1` (and `=0` to switch off; counting costs every eBPF \
                program on the machine a little). Those kernel figures include the kernel's own timing \
                bookkeeping, so they are an upper bound.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try DaemonCall.run(.overhead, options: connection, as: DaemonOverhead.self, render: OverheadReport.render)
        }
    }
}
