/// Swift mirror of `struct oom_victim` in bpf/memory_events.h. A test compares its size with the C
/// struct's.
struct OOMVictimRecord: BitwiseCopyable {
    /// CLOCK_MONOTONIC nanoseconds of the kill; 0 for a slot never written.
    var timeNanoseconds: UInt64 = 0
    /// The victim's tgid.
    var pid: UInt32 = 0
    /// Its owner.
    var uid: UInt32 = 0
    /// Its command name, NUL-padded (TASK_COMM_LEN).
    var comm: (UInt64, UInt64) = (0, 0)

    /// ``comm`` as text.
    var command: String {
        withUnsafeBytes(of: comm) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
