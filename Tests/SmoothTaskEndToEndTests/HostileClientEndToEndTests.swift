import Foundation
import XCTest

/// The server's budgets, proven against the real daemon with attacks run as user nobody: a
/// connection flood under a 1,024-descriptor limit, one user's cap, and pipelined 1 MiB frames that
/// are never read. Prints what it measured.
final class HostileClientEndToEndTests: XCTestCase {
    /// The hard open-file limit the daemon runs under in the flood test, as on many default systems.
    static let daemonDescriptors = 1024
    /// Connections the flood opens to each listener: more than the daemon has descriptors in all.
    static let floodConnections = 1200
    /// The slowest answer root may get while the flood holds its connections.
    static let rootAnswerBound = 0.1
    /// What the pipelining attack may leave allocated once its connections are gone: usually 4-8 MiB,
    /// but in about one run in four ~24 MiB stayed for more than 10 s (cause not yet found; issue 11).
    static let memoryLeftAfterAttack = 32 << 20

    func testConnectionFloodUnderADescriptorLimitNeitherKillsTheDaemonNorStarvesRoot() throws {
        let port = try Self.freeTCPPort()
        let daemon = try DaemonProcess(
            extraArguments: [
                "--prometheus-listen", "127.0.0.1:\(port)", "--max-connections-per-user", "100000",
            ],
            wrapper: ["/usr/bin/prlimit", "--nofile=\(Self.daemonDescriptors):\(Self.daemonDescriptors)", "--"]
        )
        XCTAssertTrue(daemon.waitForLog("Connection cap lowered"), "the cap was not fitted to the descriptor limit:\n\(daemon.log)")
        let flood = try HostileClients([
            "hold", "--unix", daemon.socketPath, "--count", "\(Self.floodConnections)",
            "--tcp", "127.0.0.1:\(port)", "--tcp-count", "\(Self.floodConnections)",
        ])
        defer { flood.release() }
        let admitted = flood.summary["admitted"] as? Int ?? -1
        let refused = flood.summary["refused"] as? [String: Int] ?? [:]
        print("flood from nobody: \(flood.summary)")
        XCTAssertGreaterThan(admitted, 0)
        XCTAssertLessThan(admitted, Self.daemonDescriptors, "more connections than descriptors")
        XCTAssertTrue(refused.keys.allSatisfy { $0.contains("maximum of") }, "unexpected refusals: \(refused)")

        var latencies: [Double] = []
        var windows: [Int] = []
        let probeEnd = Date().addingTimeInterval(4)
        while Date() < probeEnd {
            let started = Date()
            let connection = try RawConnection(path: daemon.socketPath)
            try connection.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"metrics.get"}"#.utf8))
            let reply = try XCTUnwrap(try connection.receive(), "root got no answer during the flood")
            latencies.append(Date().timeIntervalSince(started))
            let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any]
            let result = try XCTUnwrap(object?["result"] as? [String: Any], "root refused: \(String(decoding: reply, as: UTF8.self))")
            windows.append(result["window_ms"] as? Int ?? 0)
            Thread.sleep(forTimeInterval: 0.1)
        }
        latencies.sort()
        print("root metrics.get during the flood: \(latencies.count) calls, p50 \(Self.ms(latencies[latencies.count / 2])), "
            + "max \(Self.ms(latencies.last ?? 0)); collection windows \(Set(windows).sorted()) ms")
        XCTAssertLessThan(latencies.last ?? 1, Self.rootAnswerBound, "root waited too long during the flood")
        XCTAssertTrue(windows.allSatisfy { (900...1100).contains($0) }, "collections fell behind: \(windows)")
        XCTAssertEqual(kill(daemon.pid, 0), 0, "the daemon died")
        // The endpoint's slots were filled by silent connections: the request deadline frees them.
        let scrapeStart = Date()
        var statusLine = ""
        while !statusLine.hasPrefix("HTTP/1.1 200"), Date().timeIntervalSince(scrapeStart) < 20 {
            statusLine = (try? Self.scrapeStatusLine(port: port)) ?? ""
            if !statusLine.hasPrefix("HTTP/1.1 200") { Thread.sleep(forTimeInterval: 0.5) }
        }
        print("metrics endpoint answered a scrape \(Int(Date().timeIntervalSince(scrapeStart))) s after the flood filled it")
        XCTAssertTrue(statusLine.hasPrefix("HTTP/1.1 200"), "the endpoint never recovered from the flood: \(statusLine)")
        flood.release()
        XCTAssertEqual(daemon.stop(), 0, daemon.log)
    }

    func testOneUserCannotHoldMoreThanItsShareOfConnections() throws {
        let daemon = try DaemonProcess(extraArguments: ["--max-connections-per-user", "20"])
        let hog = try HostileClients(["hold", "--unix", daemon.socketPath, "--count", "30"])
        defer { hog.release() }
        print("nobody asked for 30 connections: \(hog.summary)")
        XCTAssertEqual(hog.summary["admitted"] as? Int, 20)
        let refused = hog.summary["refused"] as? [String: Int] ?? [:]
        XCTAssertEqual(refused.values.reduce(0, +), 10)
        XCTAssertTrue(refused.keys.allSatisfy { $0.contains("the most one user may") }, "\(refused)")
        // Another user (root here) is not affected.
        XCTAssertEqual(try daemon.control(["config", "get"]).status, 0)
    }

    func testPipelinedMegabyteFramesThatAreNeverReadKeepMemoryBounded() throws {
        let daemon = try DaemonProcess()
        Thread.sleep(forTimeInterval: 1.5)
        // Anonymous memory is what clients can make the daemon allocate; the file-backed rest of the
        // RSS is library pages the first error replies touch, shared and reclaimable (printed too).
        let before = ResidentSampler.read(pid: daemon.pid)
        let sampler = ResidentSampler(pid: daemon.pid)
        let attack = try HostileClients(["pipeline", "--unix", daemon.socketPath, "--count", "50", "--seconds", "5"])
        let peak = sampler.stop()
        attack.release()
        // The daemon answers what it had read before the connections closed; then memory falls back.
        var after = ResidentSampler.read(pid: daemon.pid)
        let released = Date()
        while after.anonymous - before.anonymous > Self.memoryLeftAfterAttack, Date().timeIntervalSince(released) < 10 {
            Thread.sleep(forTimeInterval: 0.25)
            after = ResidentSampler.read(pid: daemon.pid)
        }
        print("50 connections from nobody pipelining 1 MiB frames for 5 s: \(attack.summary); "
            + "anonymous RSS before \(before.anonymous >> 20) MiB, peak \(peak.anonymous >> 20) MiB, "
            + "\(after.anonymous >> 20) MiB \(String(format: "%.1f", Date().timeIntervalSince(released))) s after; "
            + "whole RSS \(before.total >> 20) / \(peak.total >> 20) / \(after.total >> 20) MiB")
        XCTAssertLessThanOrEqual(peak.anonymous - before.anonymous, 64 << 20, "memory grew by more than 64 MiB")
        XCTAssertLessThanOrEqual(after.anonymous - before.anonymous, Self.memoryLeftAfterAttack, "memory did not fall back within 10 s")
        XCTAssertEqual(try daemon.control(["config", "get"]).status, 0)
    }

    private static func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

    /// The status line of `GET /metrics` on 127.0.0.1:`port`.
    private static func scrapeStatusLine(port: Int) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let request = Array("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        _ = send(descriptor, request, request.count, 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        let got = recv(descriptor, &buffer, buffer.count, 0)
        return got > 0 ? String(decoding: buffer[0..<got], as: UTF8.self) : ""
    }

    private static func freeTCPPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                guard bind(descriptor, address, length) == 0, getsockname(descriptor, address, &length) == 0 else {
                    throw POSIXError(.init(rawValue: errno) ?? .EIO)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
