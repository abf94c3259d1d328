import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskProtocol

/// Options every subcommand shares: where the daemon is and how to print.
struct ConnectionOptions: ParsableArguments {
    // getenv, not ProcessInfo's environment: argument-parser creates these options more than once
    // per run, and each read of that dictionary copies the whole environment.
    @Option(name: .long, help: ArgumentHelp("The daemon's Unix socket (env SMOOTHTASK_SOCKET).", valueName: "path"))
    var socket: String = getenv(ProtocolConstants.socketPathEnvironmentVariable).map { String(cString: $0) }
        ?? ProtocolConstants.defaultSocketPath

    @Flag(name: .long, help: "Print the daemon's JSON result only, for scripts.")
    var json = false
}
