import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/disk_metrics.bpf.c`: block I/O per device and bytes per process.
///
/// A device's requests and bytes are the block layer's own (/proc/diskstats, read right after the
/// map): ``ProcDiskstats`` says why. Its latency histogram and the per-process bytes are the program's.
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
    /// /proc/diskstats as the program first attached: the exposition's totals count from here, and
    /// keep counting across a switch off and on, as the program's map does.
    private(set) var statisticsAtAttach: ProcDiskstats?
    /// /proc/diskstats as of the latest collection.
    private(set) var previousStatistics: ProcDiskstats?

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
        previousStatistics = ProcDiskstats.read()
        if statisticsAtAttach == nil { statisticsAtAttach = previousStatistics }
    }

    /// A device's requests and bytes between two readings: the block layer's own counts
    /// (``ProcDiskstats``) where both readings have the device, else the program's.
    static func requests(
        of dev: UInt32, from earlier: ProcDiskstats?, to later: ProcDiskstats?, programCounted: DiskDeviceCounters
    ) -> DiskRequestTotals {
        guard let start = earlier?.devices[dev], let end = later?.devices[dev] else { return DiskRequestTotals(programCounted) }
        return end.subtracting(start)
    }

    func collect() throws(BPFError) -> DiskMetrics {
        let deviceCounters = try devices.entries(keyType: UInt32.self, valueType: DiskDeviceCounters.self)
        let statistics = ProcDiskstats.read()
        defer { (previousDevices, previousStatistics) = (deviceCounters, statistics) }
        let perDevice = deviceCounters.sorted { $0.key < $1.key }.map { dev, counters in
            let window = previousDevices[dev].map { counters.subtracting($0) } ?? counters
            let requests = Self.requests(of: dev, from: previousStatistics, to: statistics, programCounted: window)
            let (major, minor) = BlockDeviceName.split(dev)
            return DiskDeviceIO(
                name: BlockDeviceName.name(major: major, minor: minor), major: major, minor: minor,
                readRequests: requests.readRequests, writeRequests: requests.writeRequests,
                otherRequests: requests.otherRequests, readBytes: requests.readBytes, writeBytes: requests.writeBytes,
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
