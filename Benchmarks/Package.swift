// swift-tools-version: 6.1
//
// privctl's benchmarks (ordo-one/package-benchmark), kept in their own package so that the main
// package and its CI build do not carry the benchmark dependencies.
//
//   cd Benchmarks && swift package benchmark
//
// Allocation counts (stable on shared machines) have thresholds in Thresholds/; wall times are
// reported, never asserted.

import PackageDescription

let package = Package(
    name: "privctl-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "privctl", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "PrivctlKit", package: "privctl"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
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
