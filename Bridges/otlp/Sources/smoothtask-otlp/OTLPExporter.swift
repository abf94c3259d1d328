import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// POSTs OTLP metrics requests to `<endpoint>/v1/metrics` as binary protobuf (OTLP/HTTP), with the
/// headers, certificates and timeout of the standard `OTEL_EXPORTER_OTLP_*` environment variables
/// (the `_METRICS_` ones first).
///
/// A failed push is logged, not retried: every point is cumulative or a latest value, so the next
/// push carries whatever the failed one had.
final class OTLPExporter: Sendable {
    /// The response body read at most: a collector answers with an `ExportMetricsServiceResponse`
    /// (or an error text) of a few hundred bytes.
    static let maximumResponseBytes = 64 << 10
    /// The OTel default for `OTEL_EXPORTER_OTLP_TIMEOUT`.
    static let defaultTimeoutMilliseconds = 10_000

    /// Where requests go: the endpoint with `/v1/metrics` appended.
    let url: String
    private let headers: HTTPHeaders
    private let timeout: TimeAmount
    private let client: HTTPClient

    /// An exporter to `endpoint` (an http:// or https:// base URL) configured from `environment`.
    /// - Throws: ``OTLPExporterError`` when a certificate or key file named there cannot be read.
    init(endpoint: String, environment: [String: String], logger: Logger) throws {
        url = endpoint.hasSuffix("/") ? "\(endpoint)v1/metrics" : "\(endpoint)/v1/metrics"
        func setting(_ name: String) -> String? {
            (environment["OTEL_EXPORTER_OTLP_METRICS_\(name)"] ?? environment["OTEL_EXPORTER_OTLP_\(name)"])
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        var headers = HTTPHeaders()
        for (name, value) in Self.headers(setting("HEADERS") ?? "") { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Type", value: "application/x-protobuf")
        self.headers = headers
        timeout = .milliseconds(Int64(setting("TIMEOUT").flatMap(Int.init) ?? Self.defaultTimeoutMilliseconds))
        if let compression = setting("COMPRESSION"), compression != "none" {
            logger.warning("OTLP compression is not supported; pushing uncompressed", metadata: ["compression": "\(compression)"])
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let path = setting("CERTIFICATE") { tls.trustRoots = .file(path) }
            if let path = setting("CLIENT_CERTIFICATE") {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(path).map { .certificate($0) }
            }
            if let path = setting("CLIENT_KEY") { tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: path, format: .pem)) }
        } catch {
            throw OTLPExporterError(message: "cannot read the TLS files of OTEL_EXPORTER_OTLP_*CERTIFICATE/CLIENT_KEY: \(error)")
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }

    /// Sends one request body.
    /// - Throws: ``OTLPExporterError`` naming the HTTP status and the collector's message when it
    ///   does not answer 2xx, or the transport's error.
    func export(_ body: [UInt8]) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: timeout)
        let reply = try await response.body.collect(upTo: Self.maximumResponseBytes)
        guard (200..<300).contains(response.status.code) else {
            throw OTLPExporterError(
                message: "the collector at \(url) answered \(response.status): \(String(buffer: reply).prefix(200))"
            )
        }
    }

    /// Closes the connections.
    func shutdown() async {
        try? await client.shutdown()
    }

    /// `OTEL_EXPORTER_OTLP_HEADERS`: `name=value` pairs separated by commas, values percent-encoded.
    static func headers(_ text: String) -> [(String, String)] {
        text.split(separator: ",").compactMap { pair in
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
            let value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : (name, value.removingPercentEncoding ?? value)
        }
    }
}
