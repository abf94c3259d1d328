import CLibBPF

/// An attached program. Destroying the link (``detach()`` or `deinit`) detaches the program, after
/// which it costs nothing on its hook.
public final class BPFLink {
    /// The program this link attached.
    public let program: BPFProgram
    private var pointer: OpaquePointer?

    init(program: BPFProgram, pointer: OpaquePointer) {
        self.program = program
        self.pointer = pointer
    }

    deinit { detach() }

    /// True until ``detach()``.
    public var isAttached: Bool { pointer != nil }

    /// Detaches the program now; later calls do nothing.
    public func detach() {
        guard let pointer else { return }
        bpf_link__destroy(pointer)
        self.pointer = nil
    }
}
