/// The result of the `status` method: everything `smoothtaskctl status` shows.
public struct DaemonStatus: Codable, Sendable, Equatable {
    /// SmoothTask's version, the same the binaries' `--version` prints.
    public var version: String
    /// The protocol version the daemon speaks.
    public var protocolVersion: Int
    /// The daemon's process id.
    public var pid: Int32
    /// Seconds since the daemon started.
    public var uptimeSeconds: Double
    /// The configuration in force.
    public var config: EbpfConfig
    /// The latest collection.
    public var metrics: EbpfMetrics
    /// Whether eBPF is in use and the state of each program.
    public var ebpf: EbpfState
    /// What the daemon and its programs cost; absent from daemons that predate it.
    public var overhead: DaemonOverhead?
    /// Why the configuration file was refused (file, key, line when known), while the daemon serves
    /// the last good or default configuration; absent when the file was accepted.
    public var configError: String?
    /// The recently exited processes list (`processes.exited`): its size, and exits seen and lost.
    public var exitedProcesses: ExitedProcessesStatus?
    /// The history store: where, what it holds, whether it records and why not.
    public var history: HistoryInfo?

    /// Creates a status report.
    public init(
        version: String,
        protocolVersion: Int,
        pid: Int32,
        uptimeSeconds: Double,
        config: EbpfConfig,
        metrics: EbpfMetrics,
        ebpf: EbpfState,
        overhead: DaemonOverhead? = nil,
        configError: String? = nil,
        exitedProcesses: ExitedProcessesStatus? = nil,
        history: HistoryInfo? = nil
    ) {
        self.history = history
        self.version = version
        self.protocolVersion = protocolVersion
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.config = config
        self.metrics = metrics
        self.ebpf = ebpf
        self.overhead = overhead
        self.configError = configError
        self.exitedProcesses = exitedProcesses
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, config, metrics, ebpf, overhead, history
        case protocolVersion = "protocol_version"
        case uptimeSeconds = "uptime_s"
        case configError = "config_error"
        case exitedProcesses = "exited_processes"
    }
}
