// swift-tools-version: 6.1
//
// privctl: a privacy-event pipeline for mail and hosting operators.
// The module list below is the architecture; ARCHITECTURE.md explains each seam.

import PackageDescription

let package = Package(
    name: "privctl",
    // Linux only (glibc and musl): the file-system layer uses Linux's *at() calls and stat layout.
    products: [
        /// The pipeline as a library: other Swift programs embed it.
        .library(
            name: "PrivctlKit",
            targets: [
                "FileSystem", "PrivacyEvents", "SQLiteLedger", "PostgresLedger", "MailParsing", "MailStores", "Archives",
                "RetentionPolicy", "SubjectSearch", "LogAnonymization", "PrivctlKit",
            ]
        ),
        /// The classifier alone: parse messages and decide their retention, without ledgers,
        /// stores or archives (and without their dependencies), for programs that classify what
        /// they already hold, and for the per-message benchmarks.
        .library(name: "RetentionPolicy", targets: ["FileSystem", "PrivacyEvents", "MailParsing", "RetentionPolicy"]),
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
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift file: zlib and libarchive in `Archives`,
        // libpq in `PostgresLedger`, zstd in `SQLiteLedger`.
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libdeflate: whole gzip members at once, 1.5-4x faster than zlib at zlib -6's ratio.
        .systemLibrary(
            name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(
            name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(
            name: "CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // zstd: the SQLite ledger's payloads, each compressed with a dictionary trained on the
        // ledger's own events.
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // The one way privctl touches the file system: descriptors relative to directories, no
        // link followed, O_EXCL for every new file; and PrivctlError, the error of every module.
        .target(name: "FileSystem"),
        // The event model: kinds, pseudonyms, legal bases, the hash chain, the Ledger protocol.
        .target(
            name: "PrivacyEvents",
            dependencies: ["FileSystem", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The embedded ledger backend (SQLite through GRDB) and the local scan index.
        .target(
            name: "SQLiteLedger",
            dependencies: [
                "CZstd", "FileSystem", "PrivacyEvents", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The fleet ledger backend (PostgreSQL through libpq): one chain per host.
        .target(name: "PostgresLedger", dependencies: ["CLibpq", "FileSystem", "PrivacyEvents"]),
        // RFC 5322 / 2047 / 2045-2049 / 2231 parsing over bytes. No dependencies on purpose.
        .target(name: "MailParsing"),
        // Store formats (Maildir, mbox, message files): finding, reading, erasing and blocking.
        .target(name: "MailStores", dependencies: ["FileSystem", "PrivacyEvents"]),
        // Server logs: IP truncation and address replacement, expiry of old log files.
        .target(name: "LogAnonymization", dependencies: ["Archives", "FileSystem", "MailParsing", "PrivacyEvents"]),
        // Backup archives through libarchive and zlib, and the archive store format.
        .target(
            name: "Archives",
            dependencies: [
                "CArchive", "CDeflate", "CZlib", "FileSystem", "MailStores", "PrivacyEvents",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Retention categories, the policy file, the classifier and retention date arithmetic.
        .target(
            name: "RetentionPolicy",
            dependencies: ["MailParsing", "PrivacyEvents", .product(name: "Yams", package: "Yams")]
        ),
        // Finding a data subject in mail: addresses, names, Message-IDs, content hashes.
        .target(name: "SubjectSearch", dependencies: ["PrivacyEvents", "MailParsing"]),
        // The pipeline: stores -> parser -> classifier -> ledger, with the scan index; the jobs
        // the commands run, and the ledger session over both backends.
        .target(
            name: "PrivctlKit",
            dependencies: [
                "FileSystem", "PrivacyEvents", "SQLiteLedger", "PostgresLedger", "MailParsing", "MailStores", "Archives",
                "RetentionPolicy", "SubjectSearch", "LogAnonymization", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The subcommands (swift-argument-parser): parse, call one PrivctlKit entry point, format.
        .target(
            name: "PrivctlCommands",
            dependencies: [
                "PrivctlKit",
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

        // Shared by the test targets: temporary directories, the fixtures in Tests/Fixtures, the
        // shared corpus when it is there, running programs, building messages, PostgreSQL.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MailParsingTests", dependencies: ["TestSupport", "MailParsing"]),
        .testTarget(name: "FileSystemTests", dependencies: ["TestSupport", "FileSystem"]),
        .testTarget(name: "MailStoresTests", dependencies: ["TestSupport", "MailStores", "FileSystem", "PrivacyEvents", "Archives"]),
        .testTarget(name: "RetentionPolicyTests", dependencies: ["TestSupport", "RetentionPolicy", "MailParsing", "PrivacyEvents"]),
        .testTarget(name: "PrivacyEventsTests", dependencies: ["TestSupport", "PrivacyEvents", "SQLiteLedger"]),
        .testTarget(
            name: "PostgresLedgerTests",
            dependencies: ["TestSupport", "PrivacyEvents", "SQLiteLedger", "PostgresLedger"]
        ),
        // A test helper: appends or verifies events on a ledger URL, as one of many processes.
        .executableTarget(
            name: "ledger-stress", dependencies: ["PrivacyEvents", "SQLiteLedger", "PostgresLedger"],
            path: "Tests/LedgerStress"),
        .testTarget(name: "ArchivesTests", dependencies: ["TestSupport", "Archives", "FileSystem", "MailStores"]),
        .testTarget(name: "LogAnonymizationTests", dependencies: ["TestSupport", "LogAnonymization"]),
        .testTarget(name: "SubjectSearchTests", dependencies: ["TestSupport", "SubjectSearch", "MailParsing"]),
        // The pipelines as a library: ClassifyRun, ErasureRun and its journal.
        .testTarget(
            name: "PrivctlKitTests",
            dependencies: [
                "TestSupport", "PrivctlKit", "FileSystem", "PrivacyEvents", "SQLiteLedger", "RetentionPolicy",
                "SubjectSearch", "MailStores",
            ]
        ),
        // The commands: the built `privctl` run as users run it, and the plugin registry.
        .testTarget(
            name: "PrivctlCommandsTests",
            dependencies: [
                "TestSupport", "PrivctlCommands", "PrivacyEvents", "MailStores",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Hostile stores (issue 13) through the built `privctl` binary: links, FIFOs, loops,
        // permissions, races, a full disk, SIGKILL. Needs no module: it runs the executable.
        .testTarget(name: "HostileStoreTests"),
        // The tests that need ../shared (the mail corpus and Python's email package as an
        // oracle): skipped, saying so once, when it is not there or PRIVCTL_SHARED_DIR hides it.
        .testTarget(name: "SharedCorpusTests", dependencies: ["TestSupport", "MailParsing", "MailStores"]),
    ]
)
