import Logging
import SmoothTaskBPF

/// A loaded BPF object whose programs attach to several tracepoints together, all or none.
///
/// Tracepoints this kernel lacks are found in its BTF before loading: a required one fails the
/// group with ``BPFError/tracepointMissing(name:)``, an optional one is left out of the load (it
/// would fail the whole object otherwise) and listed in ``missingHooks``.
final class TracepointProgramGroup {
    /// The loaded object, for its maps.
    let object: BPFObject
    /// The optional hooks this kernel lacks; the group runs without them.
    let missingHooks: [TracepointHook]
    /// The loaded programs, attached and detached together.
    let programs: BPFLinkSet

    /// Opens and loads `elfBytes`; nothing runs until ``attach()``.
    init(name: String, elfBytes: [UInt8], hooks: [TracepointHook], loader: ProgramLoader) throws(BPFError) {
        let missing = Set(try KernelBTF.missingTracepoints(hooks.map(\.tracepoint)))
        if let required = hooks.first(where: { $0.lossWhenMissing == nil && missing.contains($0.tracepoint) }) {
            throw .tracepointMissing(name: required.tracepoint)
        }
        let object = try loader.open(name, elfBytes: elfBytes)
        var programs: [BPFProgram] = []
        for hook in hooks {
            let program = try object.program(named: hook.program)
            if missing.contains(hook.tracepoint) {
                try program.setAutoload(false)
            } else {
                programs.append(program)
            }
        }
        try object.load()
        self.object = object
        self.programs = BPFLinkSet(programs: programs)
        missingHooks = hooks.filter { missing.contains($0.tracepoint) }
    }

    /// True while every loaded program is attached.
    var isAttached: Bool { programs.isAttached }

    /// Attaches every loaded program; if one fails, detaches the others and throws.
    func attach() throws(BPFError) {
        try programs.attach()
    }

    /// Detaches every program; they then cost nothing on their hooks.
    func detach() {
        programs.detach()
    }
}
