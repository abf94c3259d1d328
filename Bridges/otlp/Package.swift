// swift-tools-version:6.1
import PackageDescription

// The OTLP bridge is a package of its own so that swift-otel (async-http-client, swift-protobuf,
// swift-nio-ssl: about 7 minutes of cold build on 2 cores) stays out of the root package's
// `swift build` and `make test`. Only the OTLP/HTTP trait is enabled: gRPC would add minutes more.
let package = Package(
    name: "SmoothTaskOTLP",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smoothtask-otlp", targets: ["smoothtask-otlp"]),
    ],
    dependencies: [
        .package(name: "SmoothTask", path: "../.."),
        .package(url: "https://github.com/swift-otel/swift-otel.git", exact: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
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
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
