// swift-tools-version: 6.1
import PackageDescription

// inventory-script runs inside AWX execution environments (RHEL 9), so everything it links
// (InventoryModel, CYaml, CCurl) must stay on FoundationEssentials and C system libraries.
let package = Package(
    name: "BatchSource",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "InventoryModel", targets: ["InventoryModel"]),
        .library(name: "BatchSource", targets: ["BatchSource"]),
        .executable(name: "inventory-script", targets: ["inventory-script"]),
        .executable(name: "batch-source", targets: ["batch-source"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .yum(["libyaml-devel"])]
        ),
        // libcurl's headers (libcurl4-openssl-dev, libcurl-devel) for its types and constants;
        // the library itself is dlopen'd by CCurl's loader when https or a proxy needs it, and
        // nothing links it (see Sources/CCurl/include/shim.h).
        .target(name: "CCurl"),
        .target(
            name: "InventoryModel",
            dependencies: [
                "CYaml",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // inventory-script: the logic in a library (so its tests can reach it), a thin executable,
        // and the libc definitions that keep `make dist`'s binary loadable on glibc 2.34.
        .target(name: "CGlibcCompat"),
        .target(name: "InventoryScriptKit", dependencies: ["InventoryModel", "CCurl"]),
        .executableTarget(
            name: "inventory-script",
            dependencies: ["InventoryScriptKit", "CGlibcCompat"]
        ),
        .target(
            name: "BatchSource",
            dependencies: [
                "InventoryModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "DequeModule", package: "swift-collections"),
                // Health gates' checks (Sources/BatchSource/Gates).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("HTTP/OpenAPI/openapi.json")],
            plugins: ["EmbedDashboard"]
        ),
        // The dashboard's files (dashboard/) carried inside the binary, so `serve` needs no
        // files beside it: a build tool plugin runs dashboard-embed on every build.
        .executableTarget(name: "dashboard-embed"),
        .plugin(name: "EmbedDashboard", capability: .buildTool(), dependencies: ["dashboard-embed"]),
        .executableTarget(
            name: "batch-source",
            dependencies: [
                "BatchSource",
                "InventoryModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Load generators for `make bench` (scripts/bench-service.sh); not shipped.
        .executableTarget(
            name: "batch-source-bench",
            dependencies: [
                "InventoryModel",
                "InventoryScriptKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // Free loopback ports for the servers the tests start.
        .target(name: "LoopbackPort", path: "Tests/LoopbackPort"),
        // The tests' own PostgreSQL cluster (initdb, pg_ctl), shared by the test targets.
        .target(name: "PostgresTestCluster", dependencies: ["LoopbackPort"], path: "Tests/PostgresTestCluster"),
        // The tests' own Prometheus server (Debian's /usr/bin/prometheus), for the health gates.
        .target(name: "PrometheusTestServer", dependencies: ["LoopbackPort"], path: "Tests/PrometheusTestServer"),
        .testTarget(name: "InventoryModelTests", dependencies: ["InventoryModel"]),
        .testTarget(name: "InventoryScriptTests", dependencies: ["InventoryScriptKit", "InventoryModel"]),
        .testTarget(
            name: "BatchSourceTests",
            dependencies: [
                "BatchSource",
                "InventoryModel",
                "LoopbackPort",
                "PostgresTestCluster",
                "PrometheusTestServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "InventoryModel",
                "LoopbackPort",
                "PostgresTestCluster",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer harnesses of `make fuzz` (scripts/fuzz.sh), added only when it builds them:
// they link libFuzzer's driver, which exists only in a `-sanitize=fuzzer` build.
if Context.environment["BATCH_SOURCE_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzDriver", dependencies: ["InventoryModel"], path: "Fuzz/FuzzDriver"))
    for harness in [
        "fuzz-ini", "fuzz-yaml", "fuzz-script-json", "fuzz-host-pattern", "fuzz-batch-size", "fuzz-settings",
    ] {
        package.targets.append(
            .executableTarget(
                name: harness, dependencies: ["FuzzDriver", "InventoryModel", "InventoryScriptKit"],
                path: "Fuzz/\(harness)"))
    }
}
