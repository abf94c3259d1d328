import ArgumentParser
import Foundation
import SmoothTaskClient
import SmoothTaskCollectors
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check everything SmoothTask needs, and say how to fix what is missing.",
            discussion: """
                Connects to the daemon and asks for its own view (the `diagnostics` method): kernel \
                version, BTF, tracefs (not needed), each tracepoint the programs use, bpf() permission, \
                the daemon's capabilities, memlock, libbpf and libelf, and each program's state. When \
                no daemon answers, runs the same checks in this process instead. Each line is OK, or \
                FAIL with the exact fix.

                Exit status: 0 all OK, 1 something failed.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let report = await makeReport()
            if connection.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.text)
            }
            if !report.allOK { throw ExitCode.failure }
        }

        private func makeReport() async -> CheckReport {
            let path = connection.socket
            let client: SmoothTaskClient
            do {
                client = try await SmoothTaskClient.connect(socketPath: path)
            } catch {
                let socket = DiagnosticCheck(
                    name: "socket", ok: false, detail: "\(error)",
                    fix: "Start the daemon: `systemctl enable --now smoothtask.socket` (installed with `make install`), "
                        + "or `sudo smoothtaskd`; or pass --socket PATH."
                )
                return CheckReport(socket: socket, daemon: nil, local: SystemDiagnostics.run())
            }
            let reply: Result<DaemonDiagnostics, any Error>
            do {
                reply = .success(try await client.call(.diagnostics, as: DaemonDiagnostics.self))
            } catch {
                reply = .failure(error)
            }
            await client.close()
            do {
                let diagnostics = try reply.get()
                return CheckReport(
                    socket: DiagnosticCheck(name: "socket", ok: true, detail: "\(path): smoothtaskd answers"),
                    daemon: diagnostics, local: nil
                )
            } catch {
                let socket = DiagnosticCheck(
                    name: "socket", ok: false, detail: "\(path): smoothtaskd answered diagnostics with: \(error)",
                    fix: "Upgrade smoothtaskd to the version of smoothtaskctl (`make install`) and restart it."
                )
                return CheckReport(socket: socket, daemon: nil, local: SystemDiagnostics.run())
            }
        }
    }
}
