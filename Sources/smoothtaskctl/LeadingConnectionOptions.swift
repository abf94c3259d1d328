import ArgumentParser

/// Lets the shared options come before the subcommand, as in `smoothtaskctl --socket /tmp/s status`:
/// argument-parser only accepts a subcommand's options after its name, and `--socket` and `--json`
/// belong to every leaf command (``ConnectionOptions``), not to the root.
enum LeadingConnectionOptions {
    /// `arguments` (without the program name) with any `--socket PATH`, `--socket=PATH` and `--json`
    /// that come before the first subcommand moved to just after the subcommand path they precede
    /// (`config get` for `--json config get`). Anything else is returned unchanged, so the parser
    /// still reports an unknown option or subcommand as it would have.
    static func movedAfterSubcommand(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--json" || argument.hasPrefix("--socket=") {
                leading.append(argument)
                index += 1
            } else if argument == "--socket", index + 1 < arguments.endIndex {
                leading += arguments[index...(index + 1)]
                index += 2
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        var command = root
        var pathEnd = index
        while pathEnd < arguments.endIndex,
            let subcommand = command.configuration.subcommands.first(where: { $0.configuration.commandName == arguments[pathEnd] })
        {
            command = subcommand
            pathEnd += 1
        }
        guard pathEnd > index else { return arguments }
        return Array(arguments[index..<pathEnd]) + leading + Array(arguments[pathEnd...])
    }
}
