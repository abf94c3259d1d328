import ArgumentParser
import SmoothTaskClient
import SmoothTaskHostChecks
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check everything SmoothTask needs, and say how to fix what is missing.",
            discussion: """
                Connects to the daemon and asks for its own view (the `diagnostics` method): kernel \
                version, BTF, tracefs (not needed), each tracepoint the programs use, bpf() permission, \
                the daemon's capabilities, memlock, libbpf and libelf, and each program's state. When \
                no daemon answers, checks here only what needs neither bpf() nor libbpf (kernel, BTF, \
                tracefs) and points to `sudo smoothtaskd --check` for the rest. Each line is OK, or \
                FAIL with the exact fix.

                Exit status: 0 all OK, 1 something failed, 69 no daemon answered (and what could be \
                checked here is OK).
                """
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let report = await makeReport()
            if connection.json {
                print(String(decoding: try DaemonCall.prettyEncoder.encode(report), as: UTF8.self))
            } else {
                print(report.text)
            }
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
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
                return CheckReport(socket: socket, daemonReachable: false, daemon: nil, local: HostDiagnostics.run())
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
                    daemonReachable: true, daemon: diagnostics, local: nil
                )
            } catch {
                let socket = DiagnosticCheck(
                    name: "socket", ok: false, detail: "\(path): smoothtaskd answered diagnostics with: \(error)",
                    fix: "Upgrade smoothtaskd to the version of smoothtaskctl (`make install`) and restart it."
                )
                return CheckReport(socket: socket, daemonReachable: true, daemon: nil, local: HostDiagnostics.run())
            }
        }
    }
}
