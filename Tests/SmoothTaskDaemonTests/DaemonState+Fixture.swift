import Logging
import SmoothTaskCollectors
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskServer

extension DaemonState {
    /// A state whose collector reads /proc only (no eBPF program loaded), with no metrics endpoint,
    /// configuration file or history: enough for what a reply is encoded from.
    static func procfsOnly(label: String) -> DaemonState {
        let logger = Logger(label: label)
        return DaemonState(
            collector: EbpfMetricsCollector(logger: logger), metricsEndpoint: nil,
            support: EbpfSupport(supported: false, reason: "test", remedy: nil, kernelRelease: ""),
            config: .defaults, logger: logger
        )
    }
}

extension Viewer {
    /// Root, who sees every process, so its requests may be answered from the shared encodings.
    static let root = Viewer(caller: PeerCredentials(pid: 1, uid: 0, gid: 0), rules: ProcVisibility(hidesOtherUsers: false, exemptGID: nil))
}
