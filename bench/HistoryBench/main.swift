// make bench: what recording costs per tick and takes per collection at 300 processes, and how long
// a one-hour range query takes. The hour is synthetic: written directly through HistoryRecorder
// (the daemon's own writer), one collection per simulated second, for the query timing only.
// Usage: history-bench STATE_DIR [METRICS_JSON] [--keep] [--lists-in-json]   (METRICS_JSON: real
// metrics.get results; --keep: leave the store in STATE_DIR to look at; --lists-in-json: record as
// schema 3 did, the per-process lists inside each collection's JSON, for a before/after figure)
import Foundation
import Logging
import SmoothTaskHistory
import SmoothTaskModel
import SmoothTaskTestSupport

let arguments = CommandLine.arguments
let directory = arguments.count > 1 && !arguments[1].hasPrefix("--") ? arguments[1] : NSTemporaryDirectory() + "/history-bench-\(getpid())"
/// Real collections (METRICS_JSON: one metrics.get result or an array of them), cycled through.
let metricsSeries: [EbpfMetrics] = try {
    guard arguments.count > 2, !arguments[2].hasPrefix("--"), FileManager.default.fileExists(atPath: arguments[2]) else {
        return [EbpfMetrics(cpuUsage: 12.5, cpuPerCore: [10, 15], memoryUsage: 1 << 30, memoryTotal: 8 << 30, timestamp: 0, windowMilliseconds: 1000)]
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
    if let series = try? JSONDecoder().decode([EbpfMetrics].self, from: data), !series.isEmpty { return series }
    return [try JSONDecoder().decode(EbpfMetrics.self, from: data)]
}()
let processCount = 300
/// Without the window's length the writer cannot rebuild the lists, so keeps them in the JSON.
let listsInJSON = arguments.contains("--lists-in-json")
let baseStart = Int64(Date().timeIntervalSince1970 * 1000) - 86_400_000
let comms = (0..<processCount).map { "worker-\($0 % 40)-\(["sshd", "python3", "postgres", "nginx", "java"][$0 % 5])" }

var random = SeededGenerator(seed: 14)
/// Each process's own level of CPU per second, spread log-uniformly from 20 µs to 200 ms as on a
/// real machine (a few busy, most light); a second's figure varies ±50% around it. (Until schema 4
/// every figure was uniform noise over its whole range, every process as busy as the busiest: 7.5
/// CPUs busy at 300 processes, and each figure as many bits as the largest.)
let cpuLevels: [Double] = (0..<processCount).map { _ in 20_000 * pow(10_000, Double.random(in: 0...1, using: &random)) }
/// Syscalls per microsecond of CPU, per process.
let syscallDensity: [Double] = (0..<processCount).map { _ in Double.random(in: 0.02...0.2, using: &random) }

/// One collection's processes: 300 live, each with counters like a busy machine's, two exiting.
@MainActor func samples(at timestamp: Int64) -> [ProcessWindowSample] {
    (0..<processCount).map { index in
        var window = ProcessTotals(since: .accountingStart, sinceMilliseconds: 0)
        let cpu = cpuLevels[index] * Double.random(in: 0.5...1.5, using: &random)
        window.cpuTimeNanoseconds = UInt64(cpu)
        let syscalls = UInt64(cpu / 1000 * syscallDensity[index])
        window.syscalls = syscalls
        window.failedSyscalls = syscalls / UInt64.random(in: 50...200, using: &random)
        // Faults come in bursts (a process touching new memory), disk and network from a few processes.
        window.userFaults = Double.random(in: 0...1, using: &random) < 0.05 ? UInt64.random(in: 1...5_000, using: &random) : 0
        window.reclaimStalls = 0
        window.reclaimStallNanoseconds = 0
        let writes = index % 10 == 0 && Double.random(in: 0...1, using: &random) < 0.2
        window.diskReadBytes = index % 10 == 1 && Double.random(in: 0...1, using: &random) < 0.2 ? UInt64.random(in: 1...256, using: &random) * 4096 : 0
        window.diskWriteBytes = writes ? UInt64.random(in: 1...256, using: &random) * 4096 : 0
        let talks = index % 7 == 0 && Double.random(in: 0...1, using: &random) < 0.3
        window.netSentBytes = talks ? UInt64.random(in: 0...100_000, using: &random) : 0
        window.netReceivedBytes = talks ? UInt64.random(in: 0...100_000, using: &random) : 0
        window.runQueueWaitNanoseconds = UInt64(cpu * Double.random(in: 0...0.2, using: &random))
        let exiting = index < 2
        let pid = Int32(1000 + index) + (exiting ? Int32(truncatingIfNeeded: timestamp / 1000 % 100_000) * 1000 : 0)
        return ProcessWindowSample(
            pid: pid, state: exiting ? .exited : .live, startTimeMilliseconds: exiting ? timestamp - 500 : baseStart + Int64(index),
            comm: comms[index], uid: UInt32(index % 3 * 1000), command: exiting ? "/usr/bin/\(comms[index]) --job \(timestamp)" : nil,
            window: window,
            exit: exiting
                ? ProcessExitFields(ppid: 1, exitTimeMilliseconds: timestamp - 10, exitCode: 0, exitSignal: nil, cgroupID: 42, totals: window)
                : nil
        )
    }
}

/// The answer's per-process lists from the same window's processes, as the collector makes them
/// (largest first, ties by pid, above 0): the real answers the hour cycles through list the bench
/// daemon's own processes, which are not in the synthetic rows.
func withLists(_ metrics: EbpfMetrics, _ samples: [ProcessWindowSample], windowNanoseconds: UInt64) -> EbpfMetrics {
    func largest(_ limit: Int, _ figure: (ProcessTotals) -> UInt64) -> [ProcessWindowSample] {
        Array(samples.filter { figure($0.window) > 0 }.sorted {
            figure($0.window) != figure($1.window) ? figure($0.window) > figure($1.window) : $0.pid < $1.pid
        }.prefix(limit))
    }
    var metrics = metrics
    metrics.topProcesses = largest(EbpfMetrics.topProcessLimit) { $0.cpuTimeNanoseconds ?? 0 }.map {
        ProcessListBuilder.cpu(pid: $0.pid, comm: $0.comm, cpuNanoseconds: $0.window.cpuTimeNanoseconds ?? 0, windowNanoseconds: windowNanoseconds)
    }
    metrics.syscalls?.topProcesses = largest(SyscallMetrics.topLimit) { $0.syscalls ?? 0 }.map {
        ProcessListBuilder.events(pid: $0.pid, comm: $0.comm, count: $0.window.syscalls ?? 0, windowNanoseconds: windowNanoseconds)
    }
    metrics.memory?.events?.topFaulting = largest(MemoryEventMetrics.topLimit) { $0.userFaults ?? 0 }.map {
        ProcessListBuilder.events(pid: $0.pid, comm: $0.comm, count: $0.window.userFaults ?? 0, windowNanoseconds: windowNanoseconds)
    }
    metrics.disk?.topProcesses = largest(DiskMetrics.topProcessLimit) { ($0.diskReadBytes ?? 0) + ($0.diskWriteBytes ?? 0) }.map {
        ProcessListBuilder.disk(pid: $0.pid, comm: $0.comm, readBytes: $0.window.diskReadBytes ?? 0, writeBytes: $0.window.diskWriteBytes ?? 0)
    }
    return metrics
}

@MainActor func cgroups(at timestamp: Int64) -> CgroupsReport {
    let rows = (0..<40).map { index in
        CgroupCPUUsage(
            cgroup: "/system.slice/unit-\(index).service", id: UInt64(5000 + index), unit: "unit-\(index).service", cpuPercent: 1,
            cpuTimeNanoseconds: UInt64.random(in: 0...20_000_000, using: &random), cpuTotalNanoseconds: UInt64(timestamp) * 1000
        )
    }
    return CgroupsReport(by: .cgroup, cgroups: rows, timestamp: timestamp, windowMilliseconds: 1000, source: .ebpf)
}

@MainActor func collection(at timestamp: Int64) -> RecordedCollection {
    var copy = metricsSeries[Int(timestamp / 1000 % Int64(metricsSeries.count))]
    copy.timestamp = timestamp
    let processes = samples(at: timestamp)
    // A tick's window is a little longer than the interval, never exactly it.
    let windowNanoseconds = 1_000_000_000 + UInt64.random(in: 0...2_000_000, using: &random)
    return RecordedCollection(
        timestamp: timestamp, windowMilliseconds: 1000, metrics: withLists(copy, processes, windowNanoseconds: windowNanoseconds),
        processes: processes, cgroups: cgroups(at: timestamp), windowNanoseconds: listsInJSON ? nil : windowNanoseconds
    )
}

try? FileManager.default.removeItem(atPath: directory)
var config = EbpfConfig.defaults
config.historyMaxBytes = EbpfConfig.allowedHistoryMaxBytes.upperBound
config.historyMaxAgeSeconds = EbpfConfig.allowedHistoryMaxAgeSeconds.upperBound
let recorder = HistoryRecorder(directory: directory, config: config, logger: Logger(label: "history-bench"))
guard let store = recorder.store else { fatalError("cannot open the store in \(directory)") }

// One hour at 1 s; every collection's write timed (built before the clock starts).
let hour = 3600
let first = Int64(Date().timeIntervalSince1970 * 1000) - Int64(hour) * 1000
var writeMicroseconds: [Double] = []
for second in 0..<hour {
    let recorded = collection(at: first + Int64(second) * 1000)
    let clock = ContinuousClock.now
    recorder.record { recorded }
    recorder.flush()
    let elapsed = ContinuousClock.now - clock
    writeMicroseconds.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
}
let info = await recorder.info()
let sorted = writeMicroseconds.sorted()
func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - clock
    return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
}
var processRows = 0
let processQueryMs = try await timed { processRows = try await store.processes(from: first - 1000, to: first + Int64(hour) * 1000).processes.count }
let cgroupQueryMs = try await timed { _ = try await store.cgroups(from: first - 1000, to: first + Int64(hour) * 1000) }
let atQueryMs = try await timed { _ = try await store.collection(at: first + Int64(hour / 2) * 1000) }
let jsonBytes = try metricsSeries.map { try JSONEncoder().encode($0).count }.reduce(0, +) / metricsSeries.count
// The pages in use, without the write-ahead log (a fixed few MiB whatever the history holds).
let storeBytes = try store.usedBytes()
let result: [String: Any] = [
    "processes": processCount, "collections": info.collections, "bytes": info.bytes,
    "bytes_per_collection": Double(info.bytes) / Double(max(1, info.collections)),
    "metrics_json_bytes": jsonBytes, "metrics_samples": metricsSeries.count,
    "write_us_mean": writeMicroseconds.reduce(0, +) / Double(writeMicroseconds.count),
    "write_us_p50": sorted[sorted.count / 2], "write_us_p99": sorted[sorted.count * 99 / 100],
    "query_hour_processes_ms": processQueryMs, "query_hour_process_rows": processRows,
    "query_hour_cgroups_ms": cgroupQueryMs, "query_at_ms": atQueryMs,
    "day_at_1s_mib": Double(info.bytes) / Double(max(1, info.collections)) * 86_400 / 1_048_576,
    "store_bytes": storeBytes, "store_bytes_per_collection": Double(storeBytes) / Double(max(1, info.collections)),
    "day_at_1s_store_mib": Double(storeBytes) / Double(max(1, info.collections)) * 86_400 / 1_048_576,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
if !arguments.contains("--keep") { try? FileManager.default.removeItem(atPath: directory) }
