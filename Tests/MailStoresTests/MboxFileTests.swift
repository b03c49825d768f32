import Foundation
import TestSupport
import Testing

import FileSystem
@testable import MailStores

@Suite struct MboxFileTests {
    func messages(_ text: String, chunkSize: Int = 1 << 20) throws -> (MboxFile, [StoredMessage]) {
        let dir = try TemporaryDirectory()
        let url = try dir.write("box.mbox", Array(text.utf8))
        let mbox = MboxFile(MailContainer(format: MboxFormat(), path: url.path, folder: "box.mbox"), chunkSize: chunkSize)
        var all: [StoredMessage] = []
        try mbox.forEachBatch(size: 2) { all += $0 }
        return (mbox, all)
    }

    let three = """
        From alice@example.org Thu Jan  1 10:00:00 2020
        From: alice@example.org
        Subject: one

        Body one
        From here on it is a body line (mboxo leaves it unescaped)
        >From quoted

        From bob@example.org Fri Jan  2 11:00:00 2020
        From: bob@example.org
        Subject: two

        Body two

        From carol@example.org Sat Jan  3 12:00:00 2020
        From: carol@example.org
        Subject: three

        Body three
        """

    @Test func splitsAtSeparatorsOnly() throws {
        let (_, all) = try messages(three)
        #expect(all.map(\.item) == ["#0", "#1", "#2"])
        let first = String(decoding: all[0].bytes!, as: UTF8.self)
        #expect(first.hasPrefix("From: alice@example.org\nSubject: one\n"))
        // The body's own "From here on" line stays in message one.
        #expect(first.contains("From here on it is a body line"))
        // The blank line before the next separator is not part of the message.
        #expect(first.hasSuffix(">From quoted\n"))
        #expect(String(decoding: all[2].bytes!, as: UTF8.self).hasSuffix("Body three"))
    }

    @Test func sameResultWithTinyChunks() throws {
        let (_, big) = try messages(three)
        for chunk in [7, 16, 33, 64] {
            let (_, small) = try messages(three, chunkSize: chunk)
            #expect(small.map(\.bytes) == big.map(\.bytes), "chunk size \(chunk)")
            #expect(small.map(\.byteRange) == big.map(\.byteRange))
        }
    }

    @Test func byteRangesCoverTheFile() throws {
        let (_, all) = try messages(three)
        #expect(all.first?.byteRange?.lowerBound == 0)
        #expect(all.last?.byteRange?.upperBound == three.utf8.count)
        for (a, b) in zip(all, all.dropFirst()) { #expect(a.byteRange!.upperBound == b.byteRange!.lowerBound) }
    }

    @Test func crlfMbox() throws {
        let crlf = three.replacingOccurrences(of: "\n", with: "\r\n")
        let (_, all) = try messages(crlf)
        #expect(all.count == 3)
        #expect(String(decoding: all[0].bytes!, as: UTF8.self).hasSuffix(">From quoted\r\n"))
    }

    @Test func skipsByteOrderMarkAndReportsIt() throws {
        let (mbox, all) = try messages("\u{FEFF}" + three)
        #expect(all.count == 3)
        #expect(mbox.skippedLeadingBytes == 3)
    }

    @Test func separatorWithoutBlankLineBeforeAHeader() throws {
        let text = "From a@x Thu Jan  1 10:00:00 2020\nSubject: a\n\nbody\nFrom b@x Thu Jan  1 10:00:00 2020\nSubject: b\n\nbody\n"
        let (_, all) = try messages(text)
        #expect(all.count == 2)
    }

    @Test func separatorDateIsDeliveryTime() throws {
        let (_, all) = try messages(three)
        #expect(all[0].deliveredAt == Date(timeIntervalSince1970: 1_577_872_800))
    }

    @Test func unescapesMboxrdQuoting() {
        let input = Array("a\n>From x\n>>From y\nFrom z\n>Fromage\n".utf8)
        #expect(String(decoding: MboxFile.unescape(input), as: UTF8.self) == "a\nFrom x\n>From y\nFrom z\n>Fromage\n")
        let untouched = Array("nothing to do\n".utf8)
        #expect(MboxFile.unescape(untouched) == untouched)
    }

    @Test func fileWithoutSeparatorIsAnError() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("x.mbox", "Subject: hi\n\nno separator\n")
        let mbox = MboxFile(MailContainer(format: MboxFormat(), path: url.path, folder: "x"))
        #expect(throws: PrivctlError.self) { try mbox.forEachBatch { _ in } }
    }

    @Test func everySharedCorpusMboxSplitsWithoutLosingBytes() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
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
            #expect(all.first!.byteRange!.lowerBound == mbox.skippedLeadingBytes, "\(file)")
            #expect(all.last!.byteRange!.upperBound == size, "\(file)")
        }
    }
}
