import Foundation
import MailParsing
import MailStores
import TestSupport
import Testing

/// Everything that needs `../shared` (see `SharedFolder`): the differential test against
/// Python's `email` package and the corpus-wide checks. They are the cases of one test, so that a
/// clone without the folder, or a run with `PRIVCTL_SHARED_DIR=none`, skips them with one line
/// that says why; every other test reads the project's own fixtures in `Tests/Fixtures`.
@Suite("Shared corpus (../shared)")
struct SharedCorpusTests {
    enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case oracle = "privctl agrees with Python's email package on the corpus"
        case wholeCorpus = "every corpus message parses or throws, and every accessor answers"
        case everyMbox = "every corpus mbox splits into messages without losing a byte"

        var testDescription: String { rawValue }
    }

    @Test(
        "the shared corpus",
        .enabled(if: SharedFolder.isAvailable, Comment(rawValue: SharedFolder.absenceReason)),
        .timeLimit(.minutes(5)), arguments: Check.allCases)
    func sharedCorpus(_ check: Check) throws {
        switch check {
        case .oracle:
            // python3 is one of the packages scripts/install-packages.sh installs.
            try #require(Oracle.hasPython, "python3 is not installed")
            try compareWithOracle()
        case .wholeCorpus: try wholeCorpus()
        case .everyMbox: try everyMboxSplits()
        }
    }

    func wholeCorpus() throws {
        let corpus = try #require(SharedFolder.corpus)
        let files = try FileManager.default.subpathsOfDirectory(atPath: corpus.path)
            .filter { $0.hasSuffix(".eml") || $0.hasSuffix(".mbox") }
        #expect(files.count >= 400)
        var parsed = 0
        for file in files {
            let data = try [UInt8](Data(contentsOf: corpus.appendingPathComponent(file)))
            let messages = file.hasSuffix(".mbox") ? Mbox.split(data) : [data]
            for bytes in messages {
                guard let m = try? MailMessage(bytes: bytes) else { continue }
                parsed += 1
                _ = MessageSummary(message: m)
                for part in m.leafParts { _ = m.text(of: part) }
                for field in AddressField.allCases { _ = m.addresses(field) }
            }
        }
        #expect(parsed >= 440)
    }

    func everyMboxSplits() throws {
        let corpus = try #require(SharedFolder.corpus)
        let files = FileManager.default.enumerator(atPath: corpus.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mbox") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let url = corpus.appendingPathComponent(file)
            let mbox = MboxFile(MailContainer(format: MboxFormat(), path: url.path, folder: file), chunkSize: 4096)
            var all: [StoredMessage] = []
            try mbox.forEachBatch { all += $0 }
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
            #expect(!all.isEmpty, "\(file)")
            #expect(all.first?.byteRange?.lowerBound == mbox.skippedLeadingBytes, "\(file)")
            #expect(all.last?.byteRange?.upperBound == size, "\(file)")
        }
    }
}
