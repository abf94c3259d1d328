#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF
import Logging

/// A BPF ELF object opened with libbpf: set its `.rodata` knobs, ``load()`` it, then find its
/// programs and maps. Closing (in `deinit`) unloads everything the object created, links aside.
///
/// Not `Sendable`: libbpf objects are not thread-safe, so one owner (an actor) must hold it.
public final class BPFObject {
    /// The object's name, used in errors and libbpf's log, e.g. `cpu_metrics`.
    public let name: String
    let pointer: OpaquePointer
    // bpf_object__open_mem keeps pointing into the ELF image until load has finished.
    private var elfImage: UnsafeMutableRawBufferPointer?
    /// True once ``load()`` has succeeded.
    public private(set) var isLoaded = false

    /// Opens an ELF object from memory; nothing reaches the kernel until ``load()``.
    /// - Parameters:
    ///   - name: the object's name, e.g. `cpu_metrics`.
    ///   - elfBytes: the BPF ELF image (with `.BTF`, for CO-RE).
    ///   - logger: receives libbpf's messages from now on.
    public init(name: String, elfBytes: [UInt8], logger: Logger) throws(BPFError) {
        LibBPFLog.route(to: logger)
        let image = UnsafeMutableRawBufferPointer.allocate(byteCount: elfBytes.count, alignment: 8)
        image.copyBytes(from: elfBytes)
        let opened: OpaquePointer? = name.withCString { objectName in
            var options = bpf_object_open_opts()
            options.sz = MemoryLayout<bpf_object_open_opts>.size
            options.object_name = objectName
            return bpf_object__open_mem(image.baseAddress, image.count, &options)
        }
        guard let opened else {
            let code = Glibc.errno
            image.deallocate()
            throw .openFailed(object: name, errno: code)
        }
        self.name = name
        self.pointer = opened
        self.elfImage = image
    }

    deinit {
        bpf_object__close(pointer)
        elfImage?.deallocate()
    }

    /// Sets a `const volatile` global of the program (a `.rodata` knob such as `filter_tgid`).
    /// Only possible before ``load()``: the kernel freezes `.rodata`, which lets the verifier drop
    /// branches the knob disables.
    public func setReadOnlyGlobal<Value: BitwiseCopyable>(_ variable: String, to value: Value) throws(BPFError) {
        guard !isLoaded else {
            throw .knobRejected(object: name, name: variable, detail: "the object is already loaded")
        }
        let entry = try readOnlyGlobal(variable)
        guard Int(entry.size) == MemoryLayout<Value>.size else {
            throw .knobRejected(
                object: name, name: variable,
                detail: "it is \(entry.size) bytes, the value \(MemoryLayout<Value>.size)"
            )
        }
        guard let rodata = bpf_object__find_map_by_name(pointer, ".rodata") else {
            throw .notFound(object: name, kind: ".rodata section", name: variable)
        }
        var sectionBytes = 0
        guard let initialValue = bpf_map__initial_value(rodata, &sectionBytes),
            Int(entry.offset) + Int(entry.size) <= sectionBytes
        else { throw .knobRejected(object: name, name: variable, detail: "libbpf exposes no .rodata image") }
        // libbpf 1.1 declares the image const, but it is the writable copy libbpf loads from (what
        // generated skeletons write their knobs into).
        UnsafeMutableRawPointer(mutating: initialValue)
            .storeBytes(of: value, toByteOffset: Int(entry.offset), as: Value.self)
    }

    /// Whether the program has a `const volatile` global (a `.rodata` knob) named `variable`: knobs
    /// of a shared header (bpf/pid_namespace.h) are set only in the objects that include it.
    public func declaresReadOnlyGlobal(_ variable: String) -> Bool {
        (try? readOnlyGlobal(variable)) != nil
    }

    /// Where `variable` lies in `.rodata`, from the object's BTF.
    private func readOnlyGlobal(_ variable: String) throws(BPFError) -> btf_var_secinfo {
        guard bpf_object__find_map_by_name(pointer, ".rodata") != nil, let btf = bpf_object__btf(pointer)
        else { throw .notFound(object: name, kind: ".rodata section", name: variable) }
        let section = btf__find_by_name_kind(btf, ".rodata", UInt32(BTF_KIND_DATASEC as Int))
        guard section > 0, let sectionType = btf__type_by_id(btf, UInt32(section)) else {
            throw .notFound(object: name, kind: ".rodata section", name: variable)
        }
        let entries = UnsafeBufferPointer(start: btf_var_secinfos(sectionType), count: Int(btf_vlen(sectionType)))
        guard let entry = entries.first(where: { entry in
            guard let variableType = btf__type_by_id(btf, entry.type) else { return false }
            return String(cString: btf__name_by_offset(btf, variableType.pointee.name_off)) == variable
        }) else { throw .notFound(object: name, kind: ".rodata variable", name: variable) }
        return entry
    }

    /// Makes this object use `maps`, created by another loaded object, for its maps of the same
    /// names instead of creating its own, so programs of both objects count into one map. Maps
    /// it does not declare are ignored. Only possible before ``load()``.
    public func reuse(_ maps: [BPFMap]) throws(BPFError) {
        guard !isLoaded else {
            throw .knobRejected(object: name, name: "shared maps", detail: "the object is already loaded")
        }
        for map in maps {
            guard let own = bpf_object__find_map_by_name(pointer, map.name) else { continue }
            let result = bpf_map__reuse_fd(own, map.fileDescriptor)
            guard result == 0 else {
                throw .mapAccessFailed(map: map.name, operation: "sharing with \(name)", errno: -result)
            }
        }
    }

    /// Creates the maps and loads every program into the kernel (verifier, CO-RE relocation).
    public func load() throws(BPFError) {
        let result = bpf_object__load(pointer)
        guard result == 0 else { throw .loadFailed(object: name, errno: -result) }
        isLoaded = true
        elfImage?.deallocate()
        elfImage = nil
    }

    /// The program defined by the C function `name`, e.g. `on_sched_switch`.
    public func program(named programName: String) throws(BPFError) -> BPFProgram {
        guard let program = bpf_object__find_program_by_name(pointer, programName) else {
            throw .notFound(object: name, kind: "program", name: programName)
        }
        return BPFProgram(object: self, pointer: program)
    }

    /// The map declared as `name` in the object's `.maps` section; usable after ``load()``.
    public func map(named mapName: String) throws(BPFError) -> BPFMap {
        guard let map = bpf_object__find_map_by_name(pointer, mapName) else {
            throw .notFound(object: name, kind: "map", name: mapName)
        }
        return BPFMap(object: self, pointer: map)
    }
}
