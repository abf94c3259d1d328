import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/disk_metrics.bpf.c`: block I/O per device and bytes per process.
final class DiskMetricsProgram: FieldAreaReader {
    static let name = "disk_metrics"
    static let metricSwitch = MetricSwitch.disk
    static let countingArea: ProcessCountingArea? = .disk
    static var output: WritableKeyPath<EbpfMetrics, DiskMetrics?> { \.disk }

    let group: TracepointProgramGroup
    var programs: BPFLinkSet { group.programs }
    var missingHooks: [TracepointHook] { group.missingHooks }
    private let devices: BPFMap
    private(set) var previousDevices: [UInt32: DiskDeviceCounters] = [:]

    init(loader: ProgramLoader) throws(BPFError) {
        group = try TracepointProgramGroup(
            name: Self.name, elfBytes: EmbeddedBPFObject.diskMetrics.elfBytes,
            hooks: [
                TracepointHook(
                    program: "record_submitter", tracepoint: "block_io_start",
                    lossWhenMissing: "I/O is charged to the process running when it is issued (Linux 6.5+ names the submitter)"
                ),
                TracepointHook(program: "record_issue", tracepoint: "block_rq_issue"),
                TracepointHook(program: "record_completion", tracepoint: "block_rq_complete"),
            ],
            loader: loader
        )
        devices = try group.object.map(named: "devices")
    }

    func attach() throws(BPFError) {
        try group.attach()
        previousDevices = try devices.entries(keyType: UInt32.self, valueType: DiskDeviceCounters.self)
    }

    func collect() throws(BPFError) -> DiskMetrics {
        let deviceCounters = try devices.entries(keyType: UInt32.self, valueType: DiskDeviceCounters.self)
        defer { previousDevices = deviceCounters }
        let perDevice = deviceCounters.sorted { $0.key < $1.key }.map { dev, counters in
            let window = previousDevices[dev].map { counters.subtracting($0) } ?? counters
            let (major, minor) = BlockDeviceName.split(dev)
            return DiskDeviceIO(
                name: BlockDeviceName.name(major: major, minor: minor), major: major, minor: minor,
                readRequests: window.read_requests, writeRequests: window.write_requests,
                otherRequests: window.other_requests, readBytes: window.read_bytes, writeBytes: window.write_bytes,
                latency: Log2HistogramSlots(window.latency).histogram()
            )
        }
        return DiskMetrics(
            devices: perDevice,
            latency: perDevice.reduce(LatencyHistogram.empty) { $0.adding($1.latency) },
            // Filled by the collector from its one per-process window (ProcessLedger), exits included.
            topProcesses: []
        )
    }
}
