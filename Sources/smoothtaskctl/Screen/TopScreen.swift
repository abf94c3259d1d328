import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

/// `smoothtaskctl top` on a terminal: the first answer fetched on the normal screen (so an absent
/// daemon is one line there), then the full screen until `q`.
struct TopScreen {
    let sort: ProcessTopSort
    let user: String?
    let comm: String?
    let connection: ConnectionOptions
    let policy: ScreenPolicy

    func run() async throws {
        let link = DaemonLink(socketPath: connection.socket)
        let first: ProcessTop
        do {
            first = try await link.call(.processesTop, params: TopSession.query(), as: ProcessTop.self)
        } catch let error as ClientError {
            DaemonCall.fail("\(error)", code: DaemonCall.Exit.unavailable)
        } catch let error as RPCError {
            DaemonCall.fail("processes.top: \(error.message)", code: DaemonCall.Exit.refused)
        }
        guard let terminal = Terminal(colourAllowed: policy.colour) else {
            // TERM names a terminal ncurses does not know: the table once, as without a terminal.
            print(TextReport.processTop(first))
            return
        }
        await TopSession(link: link, terminal: terminal, state: initialState, first: first).run()
    }

    /// The command line's --sort, --user and --comm as the screen's starting order and filter.
    var initialState: TopScreenState {
        var state = TopScreenState()
        state.sort = switch sort {
        case .cpu, .reclaim: .cpu
        case .syscalls: .syscalls
        case .faults: .faults
        }
        if let user { state.filter = TopFilter(field: .user, text: user) }
        if let comm { state.filter = TopFilter(field: .command, text: comm) }
        return state
    }
}
