// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Kefu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kefu", targets: ["kefu"]),
        // The HTTP and WebSocket server: a product of its own, so that `swift run kefu` never builds the server stack.
        .executable(name: "kefu-server", targets: ["KefuServer"]),
        .library(name: "KefuKit", targets: ["KefuKit"]),
    ],
    traits: [
        // `kefu tickets|stats|export --postgres URL`: off by default, so that `swift run kefu` never builds PostgreSQL's
        // client. `swift build --traits PostgreSQL` turns it on; kefu-server always has it.
        .trait(name: "PostgreSQL", description: "kefu reads and writes the records in PostgreSQL too (--postgres URL)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The server stack (kefu-server only).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "KefuKit",
            // The engine is compiled optimised in debug builds too: unoptimised, training the matcher on
            // the shipped knowledge takes about 10 s instead of 0.2 s, so `swift run kefu` and the
            // end-to-end tests would wait that long for their first answer.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(name: "KefuTerminal", dependencies: ["CEditLine", "KefuKit"]),
        .target(
            name: "KefuStore",
            dependencies: ["KefuKit", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "kefu",
            dependencies: [
                "KefuKit", "KefuTerminal", "KefuStore",
                .target(name: "KefuPostgres", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The PostgreSQL store, behind the same protocol as SQLite: for kefu-server (and kefu with the PostgreSQL trait).
        .target(
            name: "KefuPostgres",
            dependencies: ["KefuKit", "KefuStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "KefuServerKit",
            dependencies: [
                "KefuKit", "KefuStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Web")]
        ),
        .executableTarget(
            name: "KefuServer",
            dependencies: [
                "KefuKit", "KefuStore", "KefuServerKit", "KefuPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "KefuTestSupport", dependencies: ["KefuKit"]),
        .testTarget(name: "KefuKitTests", dependencies: ["KefuKit", "KefuTestSupport"]),
        .testTarget(name: "KefuEndToEndTests", dependencies: ["KefuKit", "KefuTestSupport"]),
        .testTarget(
            name: "KefuStoreTests",
            dependencies: ["KefuStore", "KefuPostgres", "KefuKit", "KefuTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "KefuServerTests",
            dependencies: [
                "KefuServerKit", "KefuStore", "KefuPostgres", "KefuKit", "KefuTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
