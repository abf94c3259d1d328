import ArgumentParser
import SmoothTaskModel

@main
struct SmoothTaskControl: AsyncParsableCommand {
    // Every command names itself: argument-parser otherwise derives the name with
    // String(describing: Self.self), whose failing protocol casts scan every conformance record of
    // every library loaded, once per command, before even `--version` can answer (about 3 ms here).
    static let configuration = CommandConfiguration(
        commandName: "smoothtaskctl",
        abstract: "Query and configure smoothtaskd, the SmoothTask eBPF metrics daemon.",
        discussion: """
            Talks to smoothtaskd over its Unix socket (default /run/smoothtask.sock, or \
            $SMOOTHTASK_SOCKET, or --socket). Reading needs no privileges; changing the \
            configuration needs root or membership of the daemon's admin group (smoothtask).

            Examples:
              smoothtaskctl status           CPU, memory, syscalls, top processes
              smoothtaskctl metrics --json | jq .cpu_usage
              smoothtaskctl top --sort syscalls --limit 10
              smoothtaskctl set-interval 500ms
              smoothtaskctl overhead         what the daemon and its programs cost
              smoothtaskctl latency          run-queue wait histogram
              smoothtaskctl disk --json | jq '.devices[] | {name, write_bytes}'
              smoothtaskctl cgroups --by unit  CPU per systemd unit
              smoothtaskctl config set enable_syscall_monitoring=false
              smoothtaskctl check            what eBPF needs here, with fixes
              smoothtaskctl call processes.top '{"limit":3}'   any method, raw JSON

            Exit status: 0 success; 1 the daemon refused the request (its message says why); \
            64 bad usage (an unknown option, key or value, caught before connecting); 69 the \
            daemon is unreachable; 77 permission denied.
            """,
        version: SmoothTaskVersion.current,
        subcommands: [
            Status.self, Metrics.self, Top.self, Cgroups.self, Watch.self, Latency.self, Disk.self, Net.self,
            Config.self, SetInterval.self, Overhead.self, Check.self, History.self, Export.self, Call.self,
        ]
    )

    /// Parses and runs the command as `AsyncParsableCommand.main()` does, but on the main thread:
    /// that `main()` is nonisolated, so every run, even `--version`, first started Swift
    /// concurrency's worker thread and handed over to it, one more thread to create and one more
    /// wake-up to wait for on a busy machine. A synchronous command (`status`) now runs where it was
    /// parsed; `run() async` commands still run on the concurrency pool. Shared options given
    /// before the subcommand are moved after it first (``LeadingConnectionOptions``).
    @MainActor
    static func main() async {
        do {
            let arguments = LeadingConnectionOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst()), root: Self.self)
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
