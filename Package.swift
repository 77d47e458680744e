// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Kefu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kefu", targets: ["kefu"]),
        .library(name: "KefuKit", targets: ["KefuKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "KefuTestSupport", dependencies: ["KefuKit"]),
        .testTarget(name: "KefuKitTests", dependencies: ["KefuKit", "KefuTestSupport"]),
        .testTarget(name: "KefuEndToEndTests", dependencies: ["KefuKit", "KefuTestSupport"]),
        .testTarget(
            name: "KefuStoreTests",
            dependencies: ["KefuStore", "KefuKit", "KefuTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
