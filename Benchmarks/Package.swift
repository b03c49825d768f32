// swift-tools-version: 6.1
//
// privctl's benchmarks (ordo-one/package-benchmark), kept in their own package so that the main
// package and its CI build do not carry the benchmark dependencies.
//
//   cd Benchmarks && swift package benchmark                      # everything, 10,000-message stores
//   PRIVCTL_BENCH_LARGE=1 swift package benchmark --target StoreBenchmarks   # also 100,000
//   ../scripts/benchmark-check.sh                                 # CI: malloc counts vs Thresholds/
//
// PipelineBenchmarks: single messages (parse, parse and classify). StoreBenchmarks: whole
// generated stores (classify --no-record over Maildir and mbox, erase --dry-run). Allocation
// counts (stable on shared machines) of the single-message benchmarks have thresholds in
// Thresholds/; wall times are reported, never asserted.

import PackageDescription

let package = Package(
    name: "privctl-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "privctl", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The interposer package-benchmark counts allocations with; StoreBenchmarks reads its
        // counters to report mallocs per message.
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", from: "1.6.1"),
    ],
    targets: [
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                // Only the classifier: CI's release build of this target skips the ledger
                // backends and their dependencies (libpq, GRDB).
                .product(name: "RetentionPolicy", package: "privctl"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // Whole stores generated at setup: classify --no-record over a Maildir and over mbox
        // files, erase --dry-run over a Maildir (PRIVCTL_BENCH_LARGE=1 adds 100,000 messages).
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
                .product(name: "PrivctlKit", package: "privctl"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // One thread, no pipeline: the per-message cost of parsing and classifying, for
        // callgrind and perf.
        .executableTarget(
            name: "classify-profile",
            dependencies: [.product(name: "PrivctlKit", package: "privctl")],
            path: "Sources/ClassifyProfile"
        ),
    ]
)
