/// The programs that count per process, each filling some of ``ProcessCounters``' fields: which
/// ones counted decides which columns of a process row are figures and which are `null`.
enum ProcessCountingArea: Sendable, CaseIterable {
    case cpu, syscalls, memory, disk, network, runQueue
}
