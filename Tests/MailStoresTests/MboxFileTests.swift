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

    @Test(arguments: [1 << 12, 1 << 20])
    func aMessageOfOneLongLineIsRefusedWithoutHoldingIt(chunkSize: Int) throws {
        // 300 KB on one line, no newline, between two ordinary messages; the limit is 100 KB.
        let long = "From a@example.org Thu Jan  1 10:00:00 2020\nFrom: a@example.org\nSubject: long\n\n"
            + String(repeating: "x", count: 300_000) + "\n\n"
        let text = long + "From b@example.org Fri Jan  2 11:00:00 2020\nFrom: b@example.org\nSubject: short\n\nhi\n"
        let dir = try TemporaryDirectory()
        let url = try dir.write("box.mbox", Array(text.utf8))
        let mbox = MboxFile(
            MailContainer(format: MboxFormat(), path: url.path, folder: "box.mbox"), chunkSize: chunkSize,
            limits: ReadLimits(maxMessageSize: 100_000))
        var all: [StoredMessage] = []
        try mbox.forEachBatch(size: 10) { all += $0 }
        #expect(all.count == 2)
        #expect(all.first?.problem?.code == .tooLarge)
        #expect(all.first?.bytes == nil)
        #expect(all.last?.problem == nil)
        #expect(all.last.flatMap(\.bytes).map { String(decoding: $0, as: UTF8.self).contains("Subject: short") } == true)
        // Long junk before the first separator is passed over too.
        let junk = String(repeating: "y", count: 200_000) + "\n" + text.dropFirst(long.count)
        let url2 = try dir.write("junk.mbox", Array(junk.utf8))
        var after: [StoredMessage] = []
        try MboxFile(MailContainer(format: MboxFormat(), path: url2.path, folder: "junk.mbox"), chunkSize: chunkSize)
            .forEachBatch(size: 10) { after += $0 }
        #expect(after.count == 1 && after.first?.problem == nil)
    }

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

    /// An mbox fixture (`Tests/Fixtures/mbox/NAME`), read in small chunks.
    func fixture(_ name: String, chunkSize: Int = 4096) throws -> (MboxFile, [StoredMessage]) {
        let url = Fixtures.url("mbox/" + name)
        let mbox = MboxFile(MailContainer(format: MboxFormat(), path: url.path, folder: name), chunkSize: chunkSize)
        var all: [StoredMessage] = []
        try mbox.forEachBatch(size: 2) { all += $0 }
        return (mbox, all)
    }

    func text(_ message: StoredMessage) -> String { String(decoding: message.bytes ?? [], as: UTF8.self) }

    @Test func everyFixtureMboxSplitsWithoutLosingBytes() throws {
        let files = Fixtures.files(in: "mbox", withSuffix: ".mbox")
        #expect(files.count >= 5)
        for file in files {
            let url = Fixtures.url(file)
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
            for chunk in [64, 4096] {
                let (mbox, all) = try fixture(url.lastPathComponent, chunkSize: chunk)
                #expect(!all.isEmpty, "\(file)")
                #expect(all.first?.byteRange?.lowerBound == mbox.skippedLeadingBytes, "\(file)")
                #expect(all.last?.byteRange?.upperBound == size, "\(file)")
                for (a, b) in zip(all, all.dropFirst()) { #expect(a.byteRange?.upperBound == b.byteRange?.lowerBound, "\(file)") }
            }
        }
    }

    @Test func mboxrdQuotingIsKeptInTheBytesAndUndoneForParsing() throws {
        let (_, all) = try fixture("mboxrd.mbox")
        #expect(all.map(\.item) == ["#0", "#1", "#2"])
        let first = text(all[0])
        #expect(first.contains("\n>From the desk of Lena"))
        let unescaped = String(decoding: MboxFile.unescape(all[0].bytes ?? []), as: UTF8.self)
        #expect(unescaped.contains("\nFrom the desk of Lena: a quoted line.\n>From a line that was quoted already.\nFromage"))
        // Netscape's `From - date` separator; the last message has no final line end.
        #expect(all[2].deliveredAt == Date(timeIntervalSince1970: 1_727_692_200))
        #expect(text(all[2]).hasSuffix("\n\nEnde"))
    }

    @Test func crlfMboxoKeepsAnUnescapedFromLineInTheBody() throws {
        let (_, all) = try fixture("mboxo-crlf.mbox")
        #expect(all.count == 2)
        #expect(text(all[0]).hasSuffix("From Russia with love\r\nund danach Pizza.\r\n"))
        #expect(text(all[1]).hasPrefix("From: Bert <bert@mail.example>\r\n"))
    }

    @Test func bytesBeforeTheFirstSeparatorAreSkippedAndCounted() throws {
        let (mbox, all) = try fixture("leading-junk.mbox")
        #expect(all.count == 1)
        #expect(mbox.skippedLeadingBytes == "and the rest of a message cut off by a bad copy\n\n".utf8.count)
        #expect(text(all[0]).hasPrefix("From: Cron Daemon <root@server.example>\n"))
    }

    @Test func aFromLineInsideABodyFollowedByTextDoesNotSplit() throws {
        let (_, all) = try fixture("mboxcl2.mbox")
        #expect(all.count == 2)
        #expect(text(all[0]).contains("\nFrom kunde@mail.example Thu Oct  3 11:00:00 2024\nhat geschrieben"))
        #expect(text(all[1]).hasSuffix("ok\n"))
    }

    @Test func oneMessagePerDate() throws {
        let (_, all) = try fixture("dates.mbox")
        #expect(all.count == 7)
        #expect(all.allSatisfy { $0.deliveredAt == Date(timeIntervalSince1970: 1_728_302_400) })
    }
}
