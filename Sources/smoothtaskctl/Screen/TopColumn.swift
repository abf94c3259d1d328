import SmoothTaskModel

/// A column of the full-screen `top`, and an order its rows can take (largest first, except pid and
/// command, which go up).
enum TopColumn: String, CaseIterable, Sendable {
    case pid, user, cpu, memory, syscalls, faults, disk, net, command

    /// The columns one can sort by, in the order `<` and `>` step through them.
    static let sortable: [TopColumn] = [.cpu, .memory, .syscalls, .faults, .disk, .net, .pid, .user, .command]

    /// Title in the column header.
    var title: String {
        switch self {
        case .pid: "PID"
        case .user: "USER"
        case .cpu: "CPU%"
        case .memory: "RSS"
        case .syscalls: "SYSCALLS"
        case .faults: "FAULTS"
        case .disk: "DISK/s"
        case .net: "NET/s"
        case .command: "COMMAND"
        }
    }

    /// Characters the column takes; the command takes what is left.
    var width: Int {
        switch self {
        case .pid: 8
        case .user: 9
        case .cpu: 6
        case .memory, .syscalls, .faults, .disk, .net: 9
        case .command: 0
        }
    }

    /// Text columns are left-aligned, figures right-aligned.
    var leftAligned: Bool { self == .user || self == .command }

    /// The key that sorts by this column (shown in the help).
    var sortKey: Character {
        switch self {
        case .pid: "p"
        case .user: "U"
        case .cpu: "c"
        case .memory: "m"
        case .syscalls: "s"
        case .faults: "F"
        case .disk: "d"
        case .net: "n"
        case .command: "o"
        }
    }

    /// Whether `a` comes before `b` in this column's order; ties by pid, so the order is stable
    /// from one refresh to the next.
    func precedes(_ a: TopRow, _ b: TopRow) -> Bool {
        switch self {
        case .pid: return a.pid < b.pid
        case .user, .command:
            let (left, right) = (a.text(self), b.text(self))
            return left == right ? a.pid < b.pid : left < right
        default:
            let (left, right) = (a.figure(self) ?? -1, b.figure(self) ?? -1)
            return left == right ? a.pid < b.pid : left > right
        }
    }
}
