// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "caravan",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CaravanModel", targets: ["CaravanModel"]),
        .library(name: "CaravanFormats", targets: ["CaravanFormats"]),
        .library(name: "CaravanEngine", targets: ["CaravanEngine"]),
        .executable(name: "caravan", targets: ["caravan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Value types only: places, links, policy, timeline, results. No I/O.
        .target(name: "CaravanModel"),
        // Reading, validating and writing files: dataset CSV, TNTP, GeoJSON, CSV/JSON output.
        .target(name: "CaravanFormats", dependencies: ["CaravanModel", .product(name: "Yams", package: "Yams")]),
        // Snapshots, compiled graphs and the algorithms over them.
        .target(name: "CaravanEngine", dependencies: ["CaravanModel"]),
        // The command-line shell over the library.
        .executableTarget(
            name: "caravan",
            dependencies: [
                "CaravanModel", "CaravanFormats", "CaravanEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark driver used by bench/run.sh (release builds only).
        .executableTarget(
            name: "caravan-bench",
            dependencies: ["CaravanModel", "CaravanFormats", "CaravanEngine"]
        ),
        .testTarget(
            name: "CaravanTests",
            dependencies: [
                "CaravanModel", "CaravanFormats", "CaravanEngine", "caravan",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
