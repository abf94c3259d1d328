import Logging
import SmoothTaskBPF

/// Opens the daemon's BPF objects so that every object declaring one of the per-process maps
/// (bpf/process_maps.h) uses the one ``ProcessLifecycleProgram`` created, whose exit program reads
/// and clears them all.
struct ProgramLoader {
    /// Receives the programs' and libbpf's messages.
    let logger: Logger
    /// Maps created by an object loaded earlier, reused by name; empty for a standalone object.
    let sharedMaps: [BPFMap]

    /// A loader whose objects create their own maps.
    init(logger: Logger, sharedMaps: [BPFMap] = []) {
        self.logger = logger
        self.sharedMaps = sharedMaps
    }

    /// Opens `elfBytes` as the object `name`, its shared maps reused; load it next.
    func open(_ name: String, elfBytes: [UInt8]) throws(BPFError) -> BPFObject {
        let object = try BPFObject(name: name, elfBytes: elfBytes, logger: logger)
        try object.reuse(sharedMaps)
        return object
    }
}
