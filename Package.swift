// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "caravan",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CaravanModel", targets: ["CaravanModel"]),
        .library(name: "CaravanFormats", targets: ["CaravanFormats"]),
        .library(name: "CaravanEngine", targets: ["CaravanEngine"]),
        .library(name: "CaravanServer", targets: ["CaravanServer"]),
        .executable(name: "caravan", targets: ["caravan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Value types only: places, links, policy, timeline, results. No I/O.
        .target(name: "CaravanModel"),
        // Reading, validating and writing files: dataset CSV, TNTP, GeoJSON, CSV/JSON output.
        .target(name: "CaravanFormats", dependencies: ["CaravanModel", .product(name: "Yams", package: "Yams")]),
        // Snapshots, compiled graphs and the algorithms over them.
        .target(name: "CaravanEngine", dependencies: ["CaravanModel"]),
        // HTTP API, job runner, the store (SQLite or PostgreSQL) and the web page.
        .target(
            name: "CaravanServer",
            dependencies: [
                "CaravanModel", "CaravanFormats", "CaravanEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")]
        ),
        // The command-line shell over the library.
        .executableTarget(
            name: "caravan",
            dependencies: [
                "CaravanModel", "CaravanFormats", "CaravanEngine", "CaravanServer",
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
                "CaravanModel", "CaravanFormats", "CaravanEngine", "CaravanServer", "caravan",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
