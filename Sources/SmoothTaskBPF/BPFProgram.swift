#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF

/// One program of a ``BPFObject``; it keeps the object alive.
public final class BPFProgram {
    /// The object the program belongs to.
    public let object: BPFObject
    private let pointer: OpaquePointer

    init(object: BPFObject, pointer: OpaquePointer) {
        self.object = object
        self.pointer = pointer
    }

    /// The C function's name, e.g. `on_sched_switch`.
    public var name: String { String(cString: bpf_program__name(pointer)) }

    /// The ELF section, which names the hook, e.g. `tp_btf/sched_switch`.
    public var hook: String { String(cString: bpf_program__section_name(pointer)) }

    /// Leaves the program out of ``BPFObject/load()`` (or puts it back): for a hook this kernel lacks,
    /// which would otherwise fail the whole object's load. Only possible before load.
    public func setAutoload(_ autoload: Bool) throws(BPFError) {
        let result = bpf_program__set_autoload(pointer, autoload)
        guard result == 0 else { throw .knobRejected(object: object.name, name: name, detail: "autoload cannot change after load") }
    }

    /// Attaches the program to the hook its section names; it runs until the link is destroyed.
    public func attach() throws(BPFError) -> BPFLink {
        guard let link = bpf_program__attach(pointer) else {
            throw .attachFailed(program: name, hook: hook, errno: Glibc.errno)
        }
        return BPFLink(program: self, pointer: link)
    }

    /// Runs the program once, now, on the calling thread (`BPF_PROG_TEST_RUN` without input), for a
    /// program that looks at the caller instead of a hook's arguments; it need not be attached.
    /// - Returns: the program's return value.
    public func runOnce() throws(BPFError) -> UInt32 {
        var options = bpf_test_run_opts()
        options.sz = MemoryLayout<bpf_test_run_opts>.size
        let result = bpf_prog_test_run_opts(bpf_program__fd(pointer), &options)
        guard result == 0 else { throw .programRunFailed(program: name, detail: BPFError.describe(-result)) }
        return options.retval
    }

    /// The kernel's run count and run time for this program (`bpf_prog_info.run_cnt` and
    /// `run_time_ns`), which move only while `kernel.bpf_stats_enabled` is 1.
    public func runtimeStatistics() throws(BPFError) -> BPFRuntimeStatistics {
        var info = bpf_prog_info()
        var length = UInt32(MemoryLayout<bpf_prog_info>.size)
        guard bpf_obj_get_info_by_fd(bpf_program__fd(pointer), &info, &length) == 0 else {
            throw .programInfoFailed(program: name, errno: Glibc.errno)
        }
        return BPFRuntimeStatistics(runCount: info.run_cnt, runTimeNanoseconds: info.run_time_ns)
    }
}
