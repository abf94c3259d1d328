import SmoothTaskModel

/// The /proc side of the memory area: used and total memory and the system figures of the
/// `memory` details, from /proc/meminfo and the memory PSI, eBPF or not.
struct MeminfoReading: ProcfsAreaReading {
    mutating func collect(into metrics: inout MetricsCollection, ebpfMissing: String?, procfs: ProcfsTick) {
        let name = EbpfMetrics.Name.memory
        var memory = metrics.memory ?? MemoryMetrics(system: nil, events: nil)
        do throws(ProcfsError) {
            let meminfo = try ProcMeminfo.read()
            metrics.memoryUsage = meminfo.usedBytes
            metrics.memoryTotal = meminfo.totalBytes
            metrics.sources[name] = .procfs
            memory.system = SystemMemory(
                totalBytes: meminfo.totalBytes, availableBytes: meminfo.availableBytes, freeBytes: meminfo.freeBytes,
                swapTotalBytes: meminfo.swapTotalBytes, swapFreeBytes: meminfo.swapFreeBytes, pressure: procfs.memoryPressure
            )
        } catch {
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = error.description
            memory.unavailable["system"] = error.description
        }
        metrics.memory = memory
    }
}
