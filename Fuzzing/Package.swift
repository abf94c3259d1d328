// swift-tools-version:6.0
import PackageDescription

// The libFuzzer target is a package of its own so that its build (every module instrumented with
// -sanitize=fuzzer,address, in Fuzz/.build) never mixes with the root package's normal build.
// Build it through `make fuzz` / `make fuzz-smoke`, which pass the sanitizer flags to every module
// under test, so coverage guides the fuzzer through SmoothTaskProtocol and SmoothTaskServer too.
let package = Package(
    name: "SmoothTaskFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "SmoothTask", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // No main: libFuzzer's main drives LLVMFuzzerTestOneInput.
        .executableTarget(
            name: "smoothtask-fuzz",
            dependencies: [
                .product(name: "SmoothTaskServer", package: "SmoothTask"),
                .product(name: "SmoothTaskProtocol", package: "SmoothTask"),
                .product(name: "SmoothTaskModel", package: "SmoothTask"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
