import Benchmark
import FileSystem
import Foundation
import MailParsing
import PrivacyEvents
import RetentionPolicy

/// Parsing and classifying single messages: the per-message cost of `classify`, on a small
/// message (0.3 KB), a typical invoice with a 60 KB PDF (82 KB) and a large one with a 3 MB PDF
/// (4 MB); and the whole path a worker takes for one message file (`message-file-…`): opened
/// and read through `FileSystem`, parsed, its header addresses and Message-ID keyed, classified.
///
/// CI (`scripts/benchmark-check.sh`) checks their malloc counts against `Thresholds/`: a count
/// more than `mallocTolerance` percent above the recorded p90 fails. The counts are exact and the
/// same on every machine with the same toolchain, unlike wall clock, which is only reported.
/// After a deliberate change, record new thresholds with
/// `scripts/benchmark-check.sh --update`. Names have no spaces: package-benchmark 1.38.1 writes
/// threshold files with `_` for spaces but looks them up with the spaces.
let benchmarks: @Sendable () -> Void = {
    let mallocTolerance = BenchmarkThresholds(relative: [.p90: 5.0])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        thresholds: [.mallocCountTotal: mallocTolerance])

    let policy = RetentionPolicy.builtIn
    let classifier = Classifier(policy: policy)
    let context = MessageContext(folder: "INBOX", deliveryDate: Date(timeIntervalSince1970: 1_800_000_000))
    let small = Array(SampleMessages.small.utf8)
    let invoice = Array(SampleMessages.invoice(attachmentBytes: 60_000).utf8)
    let large = Array(SampleMessages.invoice(attachmentBytes: 3_000_000).utf8)

    // The small message is parsed 1,000 times per measured iteration (scalingFactor), so that
    // an iteration is well above the timer's resolution; malloc counts are per iteration.
    let cases: [(name: String, bytes: [UInt8], scaling: BenchmarkScalingFactor)] = [
        ("small-message", small, .kilo), ("typical-invoice", invoice, .one), ("large-attachment", large, .one),
    ]
    let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))
    // A folder of this run's own (mkdtemp: mode 0700, never one someone else made), removed at exit.
    var template = Array((NSTemporaryDirectory() + "/privctl-bench-XXXXXX").utf8CString)
    let folder = URL(fileURLWithPath: String(cString: mkdtemp(&template)!))
    BenchmarkFiles.folder = folder.path
    atexit { if let path = BenchmarkFiles.folder { try? FileManager.default.removeItem(atPath: path) } }
    for (name, bytes, scaling) in cases {
        var configuration = Benchmark.defaultConfiguration
        configuration.scalingFactor = scaling
        Benchmark("parse-\(name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try MailMessage(bytes: bytes).subject)
            }
        }
        Benchmark("parse-and-classify-\(name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                let message = try MailMessage(bytes: bytes)
                blackHole(classifier.classify(message, context: context).category)
            }
        }
        let path = folder.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        Benchmark("message-file-\(name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                let file = try FileSystem.openFile(atPath: path)
                let message = try MailMessage(bytes: try file.readAll())
                file.close()
                var subjects = Set<Pseudonym>()
                for field in [AddressField.from, .sender, .replyTo, .to, .cc, .bcc] {
                    for address in message.addresses(field) where address.address.contains("@") {
                        subjects.insert(key.pseudonym(for: address.address))
                    }
                }
                blackHole(message.messageID.map(key.messageIDHash))
                blackHole(subjects.count)
                blackHole(classifier.classify(message, context: context).category)
            }
        }
    }
}

/// Where the message-file benchmarks keep their files, for removal at exit.
enum BenchmarkFiles {
    nonisolated(unsafe) static var folder: String?
}

/// Messages built like real ones.
enum SampleMessages {
    static let small = """
        From: Anna Muster <anna@example.org>\r
        To: Bob <bob@example.com>\r
        Subject: =?utf-8?q?R=C3=BCckfrage_zum_Angebot?=\r
        Date: Tue, 05 Mar 2019 10:15:00 +0100\r
        Message-ID: <a1@example.org>\r
        \r
        Hallo Bob, eine kurze Rückfrage zum Angebot.\r

        """

    static func invoice(attachmentBytes: Int) -> String {
        let pdf = Data((0..<attachmentBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            .base64EncodedString(options: .lineLength76Characters).replacingOccurrences(of: "\n", with: "\r\n")
        return """
            From: Lieferant AG <buchhaltung@lieferant.example>\r
            To: info@example.org\r
            Subject: Ihre Rechnung Nr. 2019-0042\r
            Date: Tue, 05 Mar 2019 10:15:00 +0100\r
            Message-ID: <r42@lieferant.example>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            anbei die Rechnung.\r
            --b1\r
            Content-Type: application/pdf; name="Rechnung_2019-0042.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(pdf)\r
            --b1--\r

            """
    }
}
