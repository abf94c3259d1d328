/// The rows the full-screen `top` keeps: those whose user, cgroup (or systemd unit) or command
/// contains a text, typed at the `/` prompt as `user:root`, `cgroup:ssh.service` (or `unit:`), or
/// `comm:nginx` (or plain text for the command).
struct TopFilter: Equatable, Sendable {
    enum Field: String, CaseIterable, Sendable {
        case user, cgroup, command
    }

    var field: Field
    /// Matched case-insensitively anywhere in the field.
    var text: String

    /// Parses the prompt's text; `nil` for an empty one, which clears the filter.
    init?(parsing input: String) {
        let trimmed = input.trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        let aliases: [(String, Field)] = [
            ("user:", .user), ("u:", .user), ("cgroup:", .cgroup), ("unit:", .cgroup), ("g:", .cgroup),
            ("comm:", .command), ("command:", .command), ("c:", .command),
        ]
        for (prefix, field) in aliases where trimmed.lowercased().hasPrefix(prefix) {
            let text = String(trimmed.dropFirst(prefix.count)).trimmingSpaces
            guard !text.isEmpty else { return nil }
            self.init(field: field, text: text)
            return
        }
        self.init(field: .command, text: trimmed)
    }

    init(field: Field, text: String) {
        self.field = field
        self.text = text
    }

    /// Whether `row` passes. A cgroup filter needs ``TopRow/cgroup`` read first; a row without one
    /// (gone, or exited) does not pass.
    func matches(_ row: TopRow) -> Bool {
        let needle = text.lowercased()
        switch field {
        case .user:
            return row.text(.user).lowercased().contains(needle) || row.activity.uid.map { String($0) } == text
        case .cgroup:
            return row.cgroup?.lowercased().contains(needle) ?? false
        case .command:
            return row.text(.command).lowercased().contains(needle) || (row.activity.comm?.lowercased().contains(needle) ?? false)
        }
    }

    /// As the prompt takes it, for the status line.
    var description: String { "\(field.rawValue):\(text)" }
}

extension String {
    /// Without leading and trailing spaces (`trimmingCharacters(in:)` is full Foundation's).
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
