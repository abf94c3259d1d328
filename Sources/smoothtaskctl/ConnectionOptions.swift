import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskProtocol

/// Options every subcommand shares: where the daemon is and how to print.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The daemon's Unix socket (env SMOOTHTASK_SOCKET).", valueName: "path"))
    var socket: String = ProcessInfo.processInfo.environment[ProtocolConstants.socketPathEnvironmentVariable]
        ?? ProtocolConstants.defaultSocketPath

    @Flag(name: .long, help: "Print the daemon's JSON result only, for scripts.")
    var json = false
}
