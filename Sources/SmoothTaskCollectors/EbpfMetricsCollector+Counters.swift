import SmoothTaskModel

extension EbpfMetricsCollector {
    /// The cumulative counters as of the latest ``collectMetrics()``, for the Prometheus exposition:
    /// the same readings the collection's windows were computed from (so a counter and a window
    /// agree), the PSI totals included (read once per collection, ``ProcfsTick``). Areas switched
    /// off or unreadable are `nil`.
    public func counterReadings() -> CounterReadings {
        monitoringCPU.measure {
            var readings = CounterReadings()
            readings.pressure = latestPressureTotals
            for area in areas { area.addCounters(to: &readings) }
            return readings
        }
    }
}
