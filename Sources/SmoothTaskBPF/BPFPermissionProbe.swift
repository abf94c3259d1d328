#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF

/// Asks the kernel whether this process may load tracing programs, by loading the smallest one.
public enum BPFPermissionProbe {
    /// Loads (and at once closes) a two-instruction raw tracepoint program, which needs exactly the
    /// privileges SmoothTask's programs need (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN).
    /// - Returns: `nil` when the kernel accepted it, otherwise the load error with its errno.
    public static func tracingProgramLoadError() -> BPFError? {
        // r0 = 0; exit
        let movR0Zero: UInt8 = UInt8(BPF_ALU64 | BPF_MOV | BPF_K)
        let exit: UInt8 = UInt8(BPF_JMP | BPF_EXIT)
        var instructions = [bpf_insn(), bpf_insn()]
        instructions[0].code = movR0Zero
        instructions[1].code = exit
        let descriptor = bpf_prog_load(
            BPF_PROG_TYPE_RAW_TRACEPOINT, "smoothtask_prb", "GPL", instructions, instructions.count, nil
        )
        guard descriptor >= 0 else { return .loadFailed(object: "permission-probe", errno: -descriptor) }
        close(descriptor)
        return nil
    }
}
