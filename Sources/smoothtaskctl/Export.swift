import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the recorded collections of a range as OpenMetrics (with timestamps) or JSON lines.",
            discussion: """
                OpenMetrics carries one timestamp per sample, so Prometheus can load it:
                  smoothtaskctl export --since 1h --format openmetrics > st.om
                  promtool tsdb create-blocks-from openmetrics st.om ./data
                JSON lines: one recorded metrics.get answer per line.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case openmetrics, jsonl
        }

        @OptionGroup var range: HistoryRangeOptions

        @Option(help: ArgumentHelp("openmetrics or jsonl.", valueName: "format"))
        var format: Format = .openmetrics

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let (from, to) = range.range ?? (0, TimeArgument.nowMilliseconds())
            let collections = RecordedCollections(socketPath: connection.socket, from: from, to: to)
            var exposition = OpenMetricsHistory()
            do {
                for try await metrics in collections {
                    switch format {
                    case .jsonl:
                        StandardStream.output.write(String(decoding: try RPCCoding.encoder.encode(metrics), as: UTF8.self) + "\n")
                    case .openmetrics:
                        exposition.add(metrics)
                    }
                }
            } catch let error as ClientError {
                DaemonCall.fail("\(error)", code: DaemonCall.Exit.unavailable)
            } catch let error as RPCError {
                DaemonCall.fail("metrics.get: \(error.message)", code: DaemonCall.Exit.refused)
            }
            if format == .openmetrics { StandardStream.output.write(exposition.text) }
        }
    }
}
