// swift-tools-version:6.0
import PackageDescription

// Layers, kernel to user: bpf/ (kernel programs) -> CLibBPF + SmoothTaskBPF (libbpf from Swift)
// -> SmoothTaskCollectors -> SmoothTaskModel; SmoothTaskProtocol is shared by the server and the client.
// SmoothTaskHostChecks (requirement checks needing no libbpf) sits beside SmoothTaskModel, so the client
// can make them without linking the kernel side.
// Release builds of the modules smoothtaskctl decodes and renders with reach generic metadata
// (`KeyedDecodingContainer<CodingKeys>` in every init(from:)) through accessor functions rather than
// by mangled name: the runtime resolves a mangled name's `CodingKeys: CodingKey` by walking every
// conformance record in the binary (~5,400), once per type of the ~40 in a status reply. The
// accessors pass the conformance they already know. With JSONValueDecoder this took the records
// `smoothtaskctl status` walks from 421,000 to 254,000 (BENCHMARKS.md, Client start-up).
let metadataAccessors: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]

// The functions a release binary runs, placed together in the order link-order/NAME.order lists them
// (bench/link_order.py writes the lists from runs under callgrind; `make release` compiles with
// -function-sections so that each function, not only each file, can move). The kernel maps a
// binary's code 64 KiB around each page it faults in, so code spread over the whole text stays
// resident: smoothtaskd runs 1.9 MB of its 20 MB of code and kept 15.2 MiB of text resident after a
// burst of clients; ordered, 9.5 MiB, and 4.8 MiB once HeapTrim releases what start-up and bursts
// touched (issue 17, RSS at most 30 MiB). smoothtaskctl: `status` 487 -> 439 page faults. Functions
// a list does not name (code newer than the list) go after it as before: a stale list costs memory,
// never correctness. What stays spread is the Swift runtime's own code (its static libraries were
// not built with function sections).
func linkOrder(_ name: String) -> [String] {
    ["-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/link-order/\(name).order", "-Xlinker", "--no-warn-symbol-ordering"]
}

let package = Package(
    name: "SmoothTask",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "smoothtaskd", targets: ["smoothtaskd"]),
        .executable(name: "smoothtaskctl", targets: ["smoothtaskctl"]),
        // For packages beside this one: Bridges/otlp talks to the daemon and names its metrics;
        // Fuzz drives the server's request path under libFuzzer.
        .library(name: "SmoothTaskClient", targets: ["SmoothTaskClient"]),
        .library(name: "SmoothTaskProtocol", targets: ["SmoothTaskProtocol"]),
        .library(name: "SmoothTaskModel", targets: ["SmoothTaskModel"]),
        .library(name: "SmoothTaskExposition", targets: ["SmoothTaskExposition"]),
        .library(name: "SmoothTaskServer", targets: ["SmoothTaskServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The history store (issue 14): SQLite in WAL mode, a maintained embedded store.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibBPF",
            pkgConfig: "libbpf",
            providers: [.apt(["libbpf-dev", "libelf-dev", "zlib1g-dev"])]
        ),
        // zlib compresses the history's blobs (already on the machine for libbpf).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // ncurses for smoothtaskctl's full-screen top and watch (issue 18): Debian's wide-character
        // build, linked by the client only.
        // No pkgConfig: ncursesw.pc's cflags (-D_XOPEN_SOURCE=600) are flags SwiftPM refuses with a
        // warning; the modulemap links ncursesw and tinfo by name.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .plugin(name: "BPFObjectPlugin", capability: .buildTool()),
        .target(
            name: "SmoothTaskBPF",
            dependencies: ["CLibBPF", "SmoothTaskHostChecks", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "SmoothTaskBPFObjects", plugins: ["BPFObjectPlugin"]),
        // The structs of bpf/*.h that maps hold, imported into Swift from the same headers the BPF
        // programs are compiled with (its header includes them from bpf/).
        .target(name: "CSmoothTaskBPFTypes"),
        .target(name: "SmoothTaskModel", swiftSettings: metadataAccessors),
        .target(name: "CAllocatorTuning"),
        // setpriority(2) for smoothtaskd: libdispatch's worker threads ask for nice values the
        // unprivileged daemon may not take (Sources/CThreadPriority/thread_priority.c says why).
        .target(name: "CThreadPriority"),
        // snprintf of one number at a time for smoothtaskctl's String(printf:), without a va_list
        // (Sources/CNumberFormat/include/number_format.h says why).
        .target(name: "CNumberFormat"),
        // The requirement checks that need neither bpf() nor libbpf: the client links these, never the
        // collectors, so it carries no libbpf, libelf, zlib or BPF objects.
        .target(name: "SmoothTaskHostChecks", dependencies: ["SmoothTaskModel"]),
        .target(name: "SmoothTaskExposition", dependencies: ["SmoothTaskModel"]),
        .target(
            name: "SmoothTaskCollectors",
            dependencies: [
                "SmoothTaskBPF", "SmoothTaskBPFObjects", "CSmoothTaskBPFTypes", "SmoothTaskHostChecks", "SmoothTaskModel",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SmoothTaskProtocol",
            dependencies: ["SmoothTaskModel", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: metadataAccessors
        ),
        .target(
            name: "SmoothTaskServer",
            dependencies: [
                "SmoothTaskProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Recorded collections (issue 14): a GRDB store in the state directory, written off the
        // request path, read for metrics.get {at}, processes.top/cgroups.top {from,to} and history.info.
        .target(
            name: "SmoothTaskHistory",
            dependencies: [
                "SmoothTaskModel", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SmoothTaskDaemon",
            dependencies: [
                "SmoothTaskCollectors", "SmoothTaskServer", "SmoothTaskHistory", "SmoothTaskProtocol", "SmoothTaskModel", "SmoothTaskExposition",
                "CAllocatorTuning",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SmoothTaskClient",
            dependencies: [
                "SmoothTaskProtocol", "SmoothTaskModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: metadataAccessors
        ),
        .executableTarget(
            name: "smoothtaskd",
            dependencies: [
                "SmoothTaskDaemon", "SmoothTaskServer", "SmoothTaskClient", "CThreadPriority",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Resident file pages the daemon keeps for nothing (issue 17, RSS at most 30 MiB): as a PIE
            // with the Swift runtime linked in, gold writes 107,000 relocations (.rela.dyn, 2.5 MB,
            // read once at start and resident after); lld (shipped with the toolchain) packs them as
            // RELR (glibc 2.36+), 20 KB. -export-dynamic (from --static-swift-stdlib) exports ~23,500
            // symbols nothing resolves at run time (1.4 MB of .dynsym/.dynstr/.gnu.hash); the release
            // build's libdispatch finds CThreadPriority's setpriority at link time, not through them.
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"]
                        + linkOrder("smoothtaskd"),
                    .when(platforms: [.linux], configuration: .release)
                )
            ]
        ),
        .executableTarget(
            name: "smoothtaskctl",
            dependencies: [
                // Never SmoothTaskCollectors: it would link libbpf into an unprivileged client
                // (SmoothTaskEndToEndTests checks with ldd).
                "SmoothTaskClient", "SmoothTaskModel", "SmoothTaskHostChecks", "CNcurses", "CNumberFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: metadataAccessors,
            // --static-swift-stdlib links with -export-dynamic, which puts the client's own ~14,000
            // symbols in its dynamic symbol table: 1.3 MB more to map at every start, longer symbol
            // lookups for the shared libraries, and a linear walk of them in each dladdr(). Nothing
            // resolves the client's symbols at run time (backtraces read .symtab from the file).
            // Not position-independent (issue 12, start-up): as a PIE with the Swift runtime linked in,
            // the loader first applied 57,000 relative relocations (1.3 MB of .rela.dyn with gold),
            // writing a pointer into every page of .data.rel.ro and .data (type metadata, witness
            // tables): ~150 copy-on-write faults and 0.7-1.2 ms of CPU before main, a fifth of a
            // `--version`. At a fixed address those pages stay clean file pages that are read only
            // when touched. What this gives up is ASLR for the client's own image (its libraries
            // still move): it runs unprivileged, as its caller, and parses with memory-safe Swift.
            // lld as for smoothtaskd. debian/smoothtask.lintian-overrides records this for lintian's
            // hardening-no-pie.
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-no-pie", "-Xlinker", "--no-export-dynamic"] + linkOrder("smoothtaskctl"),
                    .when(platforms: [.linux], configuration: .release)
                )
            ]
        ),
        // make bench: recording cost and query time of the history at 300 processes (bench/bench.py runs it).
        .executableTarget(
            name: "history-bench",
            dependencies: [
                "SmoothTaskHistory", "SmoothTaskModel", "SmoothTaskTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/HistoryBench"
        ),
        .testTarget(name: "SmoothTaskModelTests", dependencies: ["SmoothTaskModel"]),
        // The client's own logic without a daemon or a terminal: the full-screen views (keys, sort,
        // filter, tree, layout) and TIME parsing.
        .testTarget(name: "SmoothTaskControlTests", dependencies: ["smoothtaskctl", "SmoothTaskModel"]),
        .testTarget(name: "SmoothTaskExpositionTests", dependencies: ["SmoothTaskExposition", "SmoothTaskModel"]),
        .testTarget(
            name: "SmoothTaskCollectorsTests",
            dependencies: [
                "SmoothTaskCollectors", "SmoothTaskBPF", "SmoothTaskBPFObjects", "CSmoothTaskBPFTypes", "SmoothTaskHostChecks",
                "SmoothTaskModel",
            ]
        ),
        .testTarget(
            name: "SmoothTaskProtocolTests",
            dependencies: [
                "SmoothTaskProtocol", "SmoothTaskModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        // What more than one test target (and the history bench) needs: captured logs, a seeded generator.
        .target(
            name: "SmoothTaskTestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/SmoothTaskTestSupport"
        ),
        .testTarget(
            name: "SmoothTaskServerTests",
            dependencies: [
                "SmoothTaskServer", "SmoothTaskClient", "SmoothTaskProtocol", "SmoothTaskModel", "SmoothTaskTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SmoothTaskDaemonTests",
            dependencies: ["SmoothTaskDaemon", "SmoothTaskServer", "SmoothTaskProtocol", "SmoothTaskModel", "SmoothTaskTestSupport"]
        ),
        .testTarget(
            name: "SmoothTaskEndToEndTests",
            dependencies: [
                "SmoothTaskClient", "SmoothTaskCollectors", "SmoothTaskHostChecks", "SmoothTaskProtocol", "SmoothTaskModel",
                "SmoothTaskHistory", "SmoothTaskTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
