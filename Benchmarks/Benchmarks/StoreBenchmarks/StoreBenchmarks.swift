import Benchmark
import Erasure
import Foundation
import MailStores
import PrivacyEvents
import PrivctlKit
import RetentionPolicy

#if canImport(MallocInterposerSwift)
import MallocInterposerSwift
#endif

/// Whole stores: `classify --no-record` over a Maildir and over mbox files, and
/// `erase --dry-run --subject` over a Maildir, on stores that `scripts/generate-mailstore.py`
/// writes into a temporary directory before each benchmark (and removes after it).
///
/// Memory must stay flat as a store grows: each benchmark runs for 10,000 messages, and with
/// `PRIVCTL_BENCH_LARGE=1` also for 100,000 (about 60 s of generation and 9 GB of disk per
/// store). Compare the peak RSS and the mallocs per message of the two sizes.
///
/// One iteration is one pass over the whole store; each benchmark runs one warm-up pass (which
/// also warms the page cache) and three measured passes. Besides wall clock, malloc count and
/// peak RSS of the process, two custom metrics say it per message: `messages/s` (the throughput;
/// package-benchmark's own `.throughput` would count passes per second) and `mallocs/message`.
let benchmarks: @Sendable () -> Void = {
    let environment = ProcessInfo.processInfo.environment
    let sizes = [10_000] + (environment["PRIVCTL_BENCH_LARGE"] == "1" ? [100_000] : [])

    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, StoreMetric.messagesPerSecond]
            + StoreMetric.mallocsPerMessageIfCounted,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(900),
        maxIterations: 3
    )

    for size in sizes {
        let count = size.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))

        let maildir = GeneratedStore(messages: size, format: "maildir")
        Benchmark(
            "scan Maildir, classify --no-record (\(count) messages)", configuration: configuration,
            closure: { benchmark in
                let summary = measured(benchmark, messages: size) {
                    try ClassifyRun(configuration: .benchmark, ledger: nil, index: nil).run(paths: [maildir.path("Maildir")])
                }
                precondition(summary?.messages == size, "classified \(summary?.messages ?? 0) of \(size) messages")
            },
            setup: { try maildir.generate() }, teardown: { maildir.remove() })

        let mbox = GeneratedStore(messages: size, format: "mbox")
        Benchmark(
            "scan mbox, classify --no-record (\(count) messages)", configuration: configuration,
            closure: { benchmark in
                let summary = measured(benchmark, messages: size) {
                    try ClassifyRun(configuration: .benchmark, ledger: nil, index: nil).run(paths: [mbox.path("mbox")])
                }
                precondition(summary?.messages == size, "classified \(summary?.messages ?? 0) of \(size) messages")
            },
            setup: { try mbox.generate() }, teardown: { mbox.remove() })

        let erasure = GeneratedStore(messages: size, format: "maildir")
        Benchmark(
            "find a subject, erase --dry-run (\(count) messages)", configuration: configuration,
            closure: { benchmark in
                let receipt = measured(benchmark, messages: size) {
                    let address = erasure.frequentPerson
                    let containers = try StoreLocator.containers(under: [erasure.path("Maildir")])
                    let run = ErasureRun(
                        configuration: .init(
                            policy: .builtIn, key: .benchmark, host: "bench", operation: .erase,
                            selection: .subject(try SubjectQuery(addresses: [address])),
                            subjects: [PseudonymKey.benchmark.pseudonym(for: address)], day: .benchmark, dryRun: true),
                        ledger: nil, index: nil, holds: [])
                    return try run.run(containers: containers, paths: [erasure.path("Maildir")])
                }
                precondition((receipt?.items.count ?? 0) > 0, "found no message of \(erasure.frequentPerson)")
            },
            setup: { try erasure.generate() }, teardown: { erasure.remove() })
    }
}

/// Per-message metrics of a whole-store pass.
enum StoreMetric {
    static let messagesPerSecond = BenchmarkMetric.custom("messages/s", polarity: .prefersLarger, useScalingFactor: false)
    static let mallocsPerMessage = BenchmarkMetric.custom("mallocs/message", polarity: .prefersSmaller, useScalingFactor: false)

    /// `mallocs/message` needs the malloc interposer's counters.
    static var mallocsPerMessageIfCounted: [BenchmarkMetric] {
        #if canImport(MallocInterposerSwift)
        [mallocsPerMessage]
        #else
        []
        #endif
    }
}

/// Runs `body` once, records `messages/s` and `mallocs/message` for it, and returns its result
/// (nil when it threw; the error is reported to the benchmark).
func measured<Result>(_ benchmark: Benchmark, messages: Int, _ body: () throws -> Result) -> Result? {
    #if canImport(MallocInterposerSwift)
    let mallocsBefore = MallocInterposerSwift.getStatistics().mallocCount
    #endif
    let clock = ContinuousClock()
    let started = clock.now
    let result: Result
    do {
        result = try body()
    } catch {
        benchmark.error("\(benchmark.name): \(error)")
        return nil
    }
    let elapsed = started.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    benchmark.measurement(StoreMetric.messagesPerSecond, Int((Double(messages) / seconds).rounded()))
    #if canImport(MallocInterposerSwift)
    let mallocs = MallocInterposerSwift.getStatistics().mallocCount - mallocsBefore
    benchmark.measurement(StoreMetric.mallocsPerMessage, Int((Double(mallocs) / Double(messages)).rounded()))
    #endif
    return result
}

extension ClassifyRun.Configuration {
    /// `classify --no-record` with the built-in policy, judged on the generator's last day.
    static var benchmark: Self {
        .init(policy: .builtIn, key: .benchmark, host: "bench", evaluationDay: .benchmark)
    }
}

extension PseudonymKey {
    static let benchmark = PseudonymKey(bytes: Array(repeating: 7, count: 32))
}

extension CalendarDay {
    /// The generator's default `--today`.
    static let benchmark = CalendarDay(year: 2026, month: 11, day: 26)
}

/// A store written by `scripts/generate-mailstore.py` (seed 7) into its own temporary directory.
final class GeneratedStore: @unchecked Sendable {
    let messages: Int
    let format: String
    private(set) var directory: URL?
    /// The most frequent person outside the store owner's domain (from truth.jsonl).
    private(set) var frequentPerson = ""

    init(messages: Int, format: String) {
        self.messages = messages
        self.format = format
    }

    func path(_ component: String) -> String {
        directory!.appendingPathComponent(component).path
    }

    /// `scripts/generate-mailstore.py`, found from this source file's place in the repository.
    static let generator = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/generate-mailstore.py")

    func generate() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("privctl-bench-\(format)-\(messages)-\(UUID().uuidString.prefix(8))")
        self.directory = directory
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.generator.path, "--out", directory.path, "--messages", String(messages), "--seed", "7",
            "--format", format, "--quiet",
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratorError(description: "\(Self.generator.path) exited with \(process.terminationStatus)")
        }
        frequentPerson = try Self.frequentPerson(truth: directory.appendingPathComponent("truth.jsonl"))
    }

    func remove() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        directory = nil
    }

    /// The address in most messages whose domain is not the owner's (the domain of the most
    /// frequent address overall): a customer or supplier who might ask for erasure.
    static func frequentPerson(truth: URL) throws -> String {
        struct Line: Decodable { var subjects: [String] }
        var counts: [String: Int] = [:]
        let decoder = JSONDecoder()
        for line in try String(contentsOf: truth, encoding: .utf8).split(separator: "\n") {
            for subject in try decoder.decode(Line.self, from: Data(line.utf8)).subjects { counts[subject, default: 0] += 1 }
        }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let owner = ranked.first?.key.split(separator: "@").last,
            let person = ranked.first(where: { $0.key.split(separator: "@").last != owner })
        else { throw GeneratorError(description: "\(truth.path) names no people") }
        return person.key
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
}
