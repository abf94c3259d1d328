#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A compiled eBPF object from `bpf/`, embedded in the binary at build time by BPFObjectPlugin.
///
/// Each `bpf/NAME.bpf.c` becomes a static member named after it in camelCase, e.g.
/// ``processLifecycle`` for `bpf/process_lifecycle.bpf.c`.
public struct EmbeddedBPFObject: Sendable {
    /// The object's name, the `.bpf.c` file's name without extension, e.g. `process_lifecycle`.
    public let name: String
    private let base64: String

    /// Wraps an object encoded as base64; used by the generated sources only.
    init(name: String, base64: String) {
        self.name = name
        self.base64 = base64
    }

    /// The ELF object's bytes, ready for `bpf_object__open_mem`.
    public var elfBytes: [UInt8] {
        guard let data = Data(base64Encoded: base64) else {
            preconditionFailure("BPFObjectPlugin embedded invalid base64 for \(name)")
        }
        return [UInt8](data)
    }
}
