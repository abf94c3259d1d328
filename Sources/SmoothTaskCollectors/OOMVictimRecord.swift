import CSmoothTaskBPFTypes

/// One slot of the `oom_victims` map: `struct oom_victim` of bpf/memory_events.h, imported from the
/// header the program is compiled with.
typealias OOMVictimRecord = oom_victim

extension OOMVictimRecord {
    /// The victim's command name (`comm`, NUL-padded TASK_COMM_LEN) as text.
    var command: String {
        withUnsafeBytes(of: comm) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
