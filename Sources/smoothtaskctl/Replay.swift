#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

/// `watch --replay`: the recorded collections from a moment on, drawn like live ones, one per
/// `--every` (default: as fast as they were taken, one interval apart).
struct Replay {
    let from: Int64
    let every: CollectionInterval?
    let groups: [MetricGroup]
    let count: Int?
    let connection: ConnectionOptions

    func run() async throws {
        let shownGroups = groups.isEmpty ? MetricGroup.allCases : groups
        var shown = 0
        do {
            for try await metrics in RecordedCollections(socketPath: connection.socket, from: from, to: Int64.max) {
                let text = if connection.json {
                    String(decoding: try RPCCoding.encoder.encode(metrics), as: UTF8.self)
                } else {
                    (shown > 0 ? "\n" : "") + "Replaying \(SmoothTaskControl.History.time(metrics.timestamp))\n"
                        + TextReport.metrics(metrics, groups: shownGroups)
                }
                StandardStream.output.write(text + "\n")
                shown += 1
                if let count, shown >= count { return }
                if !connection.json {
                    let pause = every.map { Int64($0.milliseconds) } ?? metrics.windowMilliseconds
                    try await Task.sleep(for: .milliseconds(max(1, pause)))
                }
            }
        } catch let error as ClientError {
            DaemonCall.fail("\(error)", code: DaemonCall.Exit.unavailable)
        } catch let error as RPCError {
            DaemonCall.fail("metrics.get: \(error.message)", code: DaemonCall.Exit.refused)
        }
        if shown == 0 { DaemonCall.fail("no collection recorded after \(SmoothTaskControl.History.time(from)) (see smoothtaskctl history)", code: DaemonCall.Exit.refused) }
    }
}
