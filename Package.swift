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
    ],
    targets: [
        .systemLibrary(
            name: "CYaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .yum(["libyaml-devel"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .yum(["libcurl-devel"])]
        ),
        .target(
            name: "InventoryModel",
            dependencies: [
                "CYaml",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "inventory-script",
            dependencies: ["InventoryModel", "CCurl"]
        ),
        .target(
            name: "BatchSource",
            dependencies: ["InventoryModel"]
        ),
        .executableTarget(
            name: "batch-source",
            dependencies: [
                "BatchSource",
                "InventoryModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "InventoryModelTests", dependencies: ["InventoryModel"]),
        .testTarget(name: "InventoryScriptTests", dependencies: ["InventoryModel"]),
        .testTarget(name: "BatchSourceTests", dependencies: ["BatchSource", "InventoryModel"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["InventoryModel"],
            resources: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
