import CSmoothTaskBPFTypes

/// A key of the `syscall_failures` map, a syscall number and the errno it failed with:
/// `struct syscall_failure_key` of bpf/syscalls.h, imported from the header the program is compiled with.
typealias SyscallFailureKey = syscall_failure_key

// Map keys must be Hashable; the C struct's two fields are its whole identity.
extension SyscallFailureKey: @retroactive Hashable {
    public static func == (lhs: syscall_failure_key, rhs: syscall_failure_key) -> Bool {
        lhs.id == rhs.id && lhs.error == rhs.error
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(error)
    }
}
