import Logging
import SmoothTaskBPF

/// Opens the daemon's BPF objects so that every object declaring one of the per-process maps
/// (bpf/process_maps.h) uses the one ``ProcessLifecycleProgram`` created, whose exit program reads
/// and clears them all, and numbers processes in the daemon's pid namespace (``PIDNamespace``).
struct ProgramLoader {
    /// Receives the programs' and libbpf's messages.
    let logger: Logger
    /// Maps created by an object loaded earlier, reused by name; empty for a standalone object.
    let sharedMaps: [BPFMap]
    /// The daemon's pid namespace, or why it is unknown (then objects that number processes fail to open).
    let pidNamespace: Result<PIDNamespace, BPFError>
    /// The scheduler object the areas loaded with this loader (and its copies) share.
    let scheduler = SchedulerObjectCache()
    /// Where the objects' own reading threads (the exit ring's) count their CPU.
    let monitoringCPU: MonitoringCPU

    /// A loader whose objects create their own maps.
    /// - Parameter pidNamespace: found once per process by the first loader and handed to the next
    ///   (``PIDNamespace/ofThisProcess(logger:)`` when `nil`).
    init(
        logger: Logger, sharedMaps: [BPFMap] = [], pidNamespace: Result<PIDNamespace, BPFError>? = nil,
        monitoringCPU: MonitoringCPU = MonitoringCPU()
    ) {
        self.logger = logger
        self.monitoringCPU = monitoringCPU
        self.sharedMaps = sharedMaps
        self.pidNamespace = pidNamespace ?? Result { () throws(BPFError) in try PIDNamespace.ofThisProcess(logger: logger) }
    }

    /// Opens `elfBytes` as the object `name`, its shared maps reused and its pid namespace knobs
    /// set; load it next.
    func open(_ name: String, elfBytes: [UInt8]) throws(BPFError) -> BPFObject {
        let object = try BPFObject(name: name, elfBytes: elfBytes, logger: logger)
        try object.reuse(sharedMaps)
        if object.declaresReadOnlyGlobal("pid_namespace_level") {
            try pidNamespace.get().configure(object)
        }
        return object
    }
}
