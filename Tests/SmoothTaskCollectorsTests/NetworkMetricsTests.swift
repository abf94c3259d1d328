#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// A loopback TCP transfer of a known size (127.0.0.1 only: nothing leaves the machine) is counted
/// for the sending process, the receiving process and the `lo` interface.
final class NetworkMetricsTests: XCTestCase {
    static let knownBytes = 64 << 20
    static let tolerance = 0.01

    func testLoopbackTransferIsCountedWithinOnePercent() async throws {
        let collector = try await TestSupport.initializedCollector()
        let listener = try Self.listenOnLoopback()
        defer { close(listener.fd) }

        _ = await collector.collectMetrics()
        let loBefore = try Self.loopbackStatistic("tx_bytes")
        // bash opens the TCP connection, then becomes `head`: one process sends every byte.
        let sender = try ChildProcess.start(
            "/bin/bash", ["-c", "exec head -c \(Self.knownBytes) /dev/zero >/dev/tcp/127.0.0.1/\(listener.port)"],
            skipReason: "the sender needs bash's /dev/tcp"
        )
        let received = Self.acceptAndDrain(listener.fd)
        sender.waitUntilExit()
        let metrics = await collector.collectMetrics()
        let loAfter = try Self.loopbackStatistic("tx_bytes")
        await collector.shutdown()

        XCTAssertEqual(sender.terminationStatus, 0)
        XCTAssertEqual(received, Self.knownBytes, "the test's own receiver is the ground truth")
        XCTAssertEqual(metrics.sources[EbpfMetrics.Name.network], .ebpf, "\(metrics.unavailable)")
        let network = try XCTUnwrap(metrics.network)
        let processes = try XCTUnwrap(network.topProcesses)
        let sending = try XCTUnwrap(processes.first { $0.pid == sender.processIdentifier }, "\(processes)")
        let receiving = try XCTUnwrap(processes.first { $0.pid == getpid() }, "\(processes)")
        let lo = try XCTUnwrap(network.interfaces.first { $0.name == "lo" })
        let sentError = (Double(sending.sentBytes) - Double(Self.knownBytes)) / Double(Self.knownBytes)
        let receivedError = (Double(receiving.receivedBytes) - Double(Self.knownBytes)) / Double(Self.knownBytes)
        let sysfsBytes = Double(loAfter - loBefore)
        let loError = (Double(lo.txBytes) - sysfsBytes) / sysfsBytes
        print(String(
            format: "network: %d bytes over 127.0.0.1: sender counted %llu (%+.4f%%) in %llu calls, receiver %llu (%+.4f%%) "
                + "in %llu calls; lo tx %llu vs /sys/class/net/lo %.0f (%+.3f%%), rx %llu",
            Self.knownBytes, sending.sentBytes, sentError * 100, sending.sendCalls, receiving.receivedBytes,
            receivedError * 100, receiving.receiveCalls, lo.txBytes, sysfsBytes, loError * 100, lo.rxBytes
        ))
        XCTAssertEqual(sentError, 0, accuracy: Self.tolerance)
        XCTAssertEqual(receivedError, 0, accuracy: Self.tolerance)
        XCTAssertEqual(loError, 0, accuracy: Self.tolerance)
        // lo delivers what it sends to itself.
        XCTAssertEqual(Double(lo.rxBytes), Double(lo.txBytes), accuracy: Double(lo.txBytes) * Self.tolerance)
    }

    private static func listenOnLoopback() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("no IPv4 sockets here: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else { throw XCTSkip("cannot listen on 127.0.0.1: errno \(errno)") }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Accepts one connection and reads it to the end; returns the bytes read.
    private static func acceptAndDrain(_ listener: Int32) -> Int {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return -1 }
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { return total }
            total += count
        }
    }

    private static func loopbackStatistic(_ name: String) throws -> UInt64 {
        let text = try String(contentsOfFile: "/sys/class/net/lo/statistics/\(name)", encoding: .utf8)
        return try XCTUnwrap(UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
