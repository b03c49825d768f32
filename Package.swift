// swift-tools-version: 6.1
//
// privctl: a privacy-event pipeline for mail and hosting operators.
// The module list below is the architecture; ARCHITECTURE.md explains each seam.

import PackageDescription

let package = Package(
    name: "privctl",
    platforms: [.macOS(.v14)],
    products: [
        /// The pipeline as a library: other Swift programs embed it.
        .library(
            name: "PrivctlKit",
            targets: [
                "PrivacyEvents", "SQLiteLedger", "MailParsing", "MailStores", "Archives",
                "RetentionPolicy", "Erasure", "LogAnonymization", "PrivctlKit",
            ]
        ),
        /// The command suite as a library: a program adds its own plugins and runs
        /// `PrivctlMain.run(plugins:)`.
        .library(name: "PrivctlCommands", targets: ["PrivctlCommands"]),
        /// The command suite.
        .executable(name: "privctl", targets: ["privctl"]),
        /// `swift package privctl …` for packages that depend on privctl.
        .plugin(name: "PrivctlCommandPlugin", targets: ["PrivctlCommandPlugin"]),
        /// `swift package privctl-check-policy` validates policy files in CI.
        .plugin(name: "PrivctlCheckPolicyPlugin", targets: ["PrivctlCheckPolicyPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift file in `Archives`.
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),

        // The event model: kinds, pseudonyms, legal bases, the hash chain, the Ledger protocol.
        .target(
            name: "PrivacyEvents",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The embedded ledger backend (SQLite through GRDB) and the local scan index.
        .target(
            name: "SQLiteLedger",
            dependencies: ["PrivacyEvents", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The fleet ledger backend (PostgreSQL through postgres-nio): one chain per host.
        .target(
            name: "PostgresLedger",
            dependencies: [
                "PrivacyEvents", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // RFC 5322 / 2047 / 2045-2049 / 2231 parsing over bytes. No dependencies on purpose.
        .target(name: "MailParsing"),
        // Maildir (Maildir++) and mbox: finding messages and reading their bytes.
        .target(name: "MailStores"),
        // Server logs: IP truncation and address replacement, expiry of old log files.
        .target(name: "LogAnonymization", dependencies: ["Archives", "PrivacyEvents"]),
        // Archive and compression access through libarchive and zlib.
        .target(name: "Archives", dependencies: ["CArchive", "CZlib"]),
        // Retention categories, the policy file, the classifier and retention date arithmetic.
        .target(
            name: "RetentionPolicy",
            dependencies: ["MailParsing", "PrivacyEvents", .product(name: "Yams", package: "Yams")]
        ),
        // Finding a data subject in mail; erasing and blocking messages in mail stores.
        .target(name: "Erasure", dependencies: ["PrivacyEvents", "MailParsing", "MailStores"]),
        // The pipeline: stores -> parser -> classifier -> ledger, with the scan index.
        .target(
            name: "PrivctlKit",
            dependencies: [
                "PrivacyEvents", "SQLiteLedger", "MailParsing", "MailStores", "Archives",
                "RetentionPolicy", "Erasure", "LogAnonymization", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The subcommands (swift-argument-parser), built on PrivctlKit.
        .target(
            name: "PrivctlCommands",
            dependencies: [
                "PrivctlKit", "PostgresLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "privctl", dependencies: ["PrivctlCommands"]),
        .plugin(
            name: "PrivctlCommandPlugin",
            capability: .command(
                intent: .custom(verb: "privctl", description: "Run privctl (classify, inspect, ledger, policy) from SwiftPM.")),
            dependencies: ["privctl"],
            path: "Plugins/PrivctlCommandPlugin"
        ),
        .plugin(
            name: "PrivctlCheckPolicyPlugin",
            capability: .command(
                intent: .custom(verb: "privctl-check-policy", description: "Validate privctl retention policy files.")),
            dependencies: ["privctl"],
            path: "Plugins/PrivctlCheckPolicyPlugin"
        ),

        // Shared by the test targets: temporary directories and the files written into them.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MailParsingTests", dependencies: ["MailParsing"]),
        .testTarget(name: "MailStoresTests", dependencies: ["TestSupport", "MailStores"]),
        .testTarget(name: "RetentionPolicyTests", dependencies: ["RetentionPolicy", "MailParsing"]),
        .testTarget(name: "PrivacyEventsTests", dependencies: ["TestSupport", "PrivacyEvents", "SQLiteLedger"]),
        .testTarget(
            name: "PostgresLedgerTests",
            dependencies: ["TestSupport", "PrivacyEvents", "SQLiteLedger", "PostgresLedger"]
        ),
        // A test helper: appends or verifies events on a ledger URL, as one of many processes.
        .executableTarget(
            name: "ledger-stress", dependencies: ["PrivacyEvents", "SQLiteLedger", "PostgresLedger"],
            path: "Tests/LedgerStress"),
        .testTarget(name: "ArchivesTests", dependencies: ["TestSupport", "Archives"]),
        .testTarget(name: "LogAnonymizationTests", dependencies: ["TestSupport", "LogAnonymization"]),
        .testTarget(name: "ErasureTests", dependencies: ["TestSupport", "Erasure", "MailParsing", "MailStores"]),
        .testTarget(
            name: "PrivctlKitTests",
            dependencies: ["PrivctlKit", "PrivctlCommands", "TestSupport"]
        ),
    ]
)
