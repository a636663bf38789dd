// swift-tools-version: 6.1
import PackageDescription

// Arrows point one way: treu → TreuServer → TreuWeb / TreuStore / TreuDelivery / TreuAnalytics → TreuCore.
// TreuCore stays free of I/O frameworks so its tests build in seconds.
let package = Package(
    name: "Treu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "treu", targets: ["treu"]),
        .library(name: "TreuCore", targets: ["TreuCore"]),
        .library(name: "TreuAnalytics", targets: ["TreuAnalytics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "TreuCore"),
        // Pure numerics: retention, churn, lifetime-value models. Depends on nothing of ours.
        .target(name: "TreuAnalytics"),
        .target(
            name: "TreuStore",
            dependencies: [
                "TreuCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The messages a member reads: kinds, templates (Mustache), the standard texts in every
        // language, and dates, numbers and money as each language writes them. Pure.
        .target(
            name: "TreuMessages",
            dependencies: ["TreuCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // What leaves Treu: signed webhooks over HTTP, email over SMTP. No store, no server.
        .target(
            name: "TreuDelivery",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The admin's pages as views (Plot), starting with the charts they draw: SVG made on the
        // server, each with a table of its figures. Pure: no server, no store.
        // Static/ holds the style sheets the server will serve as files (no inline styles, for a strict CSP).
        .target(name: "TreuWeb", dependencies: [.product(name: "Plot", package: "Plot")], exclude: ["Static"]),
        // Writes a file into Swift source at build time (the OpenAPI document, by EmbedOpenAPI).
        .executableTarget(name: "EmbedResource"),
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["EmbedResource"]),
        .target(
            name: "TreuServer",
            dependencies: [
                "TreuCore",
                "TreuStore",
                "TreuAnalytics",
                "TreuDelivery",
                "TreuMessages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The API's description, embedded at build time (served at /openapi.json).
            exclude: ["OpenAPI"],
            plugins: ["EmbedOpenAPI"]
        ),
        // The made-up shop of `treu demo` and the benchmarks: not part of the server.
        .target(name: "TreuDemo", dependencies: ["TreuServer", "TreuCore", "TreuStore", "TreuAnalytics"]),
        .executableTarget(
            name: "treu",
            dependencies: [
                "TreuServer",
                "TreuDemo",
                "TreuAnalytics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TreuTestSupport",
            dependencies: ["TreuCore", "TreuStore"],
            path: "Sources/TreuTestSupport"
        ),
        .testTarget(name: "TreuCoreTests", dependencies: ["TreuCore"]),
        .testTarget(name: "TreuMessagesTests", dependencies: ["TreuMessages"]),
        .testTarget(name: "TreuWebTests", dependencies: ["TreuWeb"]),
        // Runs the built `treu` executable as a user would (it depends on the target so that
        // `swift test` builds it first).
        .testTarget(name: "TreuCLITests", dependencies: ["treu", "TreuTestSupport"]),
        .testTarget(name: "TreuAnalyticsTests", dependencies: ["TreuAnalytics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TreuStoreTests", dependencies: ["TreuStore", "TreuTestSupport"]),
        .testTarget(
            name: "TreuServerTests",
            dependencies: [
                "TreuServer", "TreuDemo", "TreuTestSupport", "TreuAnalytics",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
