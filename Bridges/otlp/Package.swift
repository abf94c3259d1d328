// swift-tools-version:6.1
import PackageDescription

// The OTLP bridge is a package of its own so that async-http-client (swift-nio-ssl with BoringSSL,
// swift-nio-http2: minutes of cold build on 2 cores) stays out of the root package's `swift build`
// and `make test`. It writes OTLP protobuf itself (OTLPMetricsRequest.swift): swift-otel, used up to
// issue 15, has no public API for a histogram that is already bucketed.
let package = Package(
    name: "SmoothTaskOTLP",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smoothtask-otlp", targets: ["smoothtask-otlp"]),
    ],
    dependencies: [
        .package(name: "SmoothTask", path: "../.."),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "smoothtask-otlp",
            dependencies: [
                .product(name: "SmoothTaskClient", package: "SmoothTask"),
                .product(name: "SmoothTaskProtocol", package: "SmoothTask"),
                .product(name: "SmoothTaskModel", package: "SmoothTask"),
                .product(name: "SmoothTaskExposition", package: "SmoothTask"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
