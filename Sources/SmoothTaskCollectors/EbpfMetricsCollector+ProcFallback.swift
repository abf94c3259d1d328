import SmoothTaskModel

extension EbpfMetricsCollector {
    /// Fills the window `processes.top` reads from /proc/PID/stat when the lifecycle program is not
    /// attached (eBPF unavailable): CPU per process, as `top` computes it, marked `source: procfs`;
    /// the other columns keep their eBPF reason. Only while CPU metrics are switched on.
    func collectProcessesFromProc() {
        guard appliedConfig.enableCPUMetrics else {
            procProcesses = ProcProcessSampler()
            return
        }
        processWindow?.counts = procProcesses.sample()
        processWindow?.areas = [.cpu]
        processWindow?.source = .procfs
    }
}
