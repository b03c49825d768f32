import Foundation
import PrivacyEvents
import TestSupport
import Testing

@testable import MailStores

@Suite struct MaildirFolderTests {
    @Test func parsesDovecotNames() {
        let name = MaildirName("1700000000.M123456P4242.mailhost,S=12345,W=12600:2,RS")
        #expect(name.uniqueName == "1700000000.M123456P4242.mailhost,S=12345,W=12600")
        #expect(name.flags == "RS")
        #expect(name.size == 12345)
        #expect(name.time == Date(timeIntervalSince1970: 1_700_000_000))
        let fresh = MaildirName("1700000001.abc.host")
        #expect(fresh.flags == nil)
        #expect(fresh.size == nil)
    }

    @Test func readsCurAndNewIgnoringTmpAndDotFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Maildir/cur/1.a.host:2,S", "Subject: a\n\nx\n")
        try dir.write("Maildir/new/2.b.host", "Subject: b\n\ny\n")
        try dir.write("Maildir/tmp/3.c.host", "Subject: in delivery\n\n")
        try dir.write("Maildir/cur/.hidden", "x")
        let container = MailContainer(format: MaildirFormat(), path: dir.url.appendingPathComponent("Maildir").path, folder: "INBOX")
        var all: [StoredMessage] = []
        try MaildirFolder(container).forEachBatch(size: 1) { all += $0 }
        #expect(Set(all.map(\.item)) == ["cur/1.a.host:2,S", "new/2.b.host"])
        let a = try #require(all.first { $0.item.hasPrefix("cur/") })
        #expect(a.size == 14)
        #expect(a.flags == "S")
        #expect(try a.readBytes() == Array("Subject: a\n\nx\n".utf8))
    }

    /// The listing adds what reading hands out (item and size, from `S=` or the file), and
    /// refuses a folder with an entry reading would report instead (a link).
    @Test func listingAddsWhatReadingHandsOut() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Maildir/cur/1.a.host,S=999:2,S", "Subject: a\n\nx\n")
        try dir.write("Maildir/new/2.b.host", "Subject: b\n\ny\n")
        try dir.write("Maildir/cur/.hidden", "x")
        let container = MailContainer(format: MaildirFormat(), path: dir.url.appendingPathComponent("Maildir").path, folder: "INBOX")
        var read = ListingDigest(salt: (5, 6))
        try MaildirFolder(container).forEachBatch(size: 1) { for m in $0 { read.add(item: m.item, size: m.size) } }
        var listed = ListingDigest(salt: (5, 6))
        #expect(try container.format.list(container, into: &listed))
        #expect(listed == read)
        #expect(listed.count == 2)
        var sized = ListingDigest(salt: (5, 6))
        sized.add(item: "cur/1.a.host,S=999:2,S", size: 999)
        sized.add(item: "new/2.b.host", size: 14)
        #expect(listed == sized, "S= says the size; otherwise the file does")

        try FileManager.default.createSymbolicLink(
            at: dir.url.appendingPathComponent("Maildir/new/3.c.host"), withDestinationURL: dir.url.appendingPathComponent("Maildir/new/2.b.host"))
        var withLink = ListingDigest(salt: (5, 6))
        #expect(try !container.format.list(container, into: &withLink))
        var mbox = ListingDigest(salt: (5, 6))
        let file = try dir.write("inbox.mbox", "From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\ny\n")
        let mboxContainer = MailContainer(format: MboxFormat(), path: file.path, folder: "inbox.mbox")
        #expect(try !mboxContainer.format.list(mboxContainer, into: &mbox), "an mbox cannot be listed without reading it")
    }

    /// A message moved from new/ to cur/ while the folder is listed is handed out once; one
    /// in both at once (a copy) twice.
    @Test func aMessageMovedToCurDuringTheListingIsHandedOutOnce() throws {
        let dir = try TemporaryDirectory()
        let root = dir.url.appendingPathComponent("Maildir")
        try dir.write("Maildir/new/7.a.host", "Subject: a\n\nx\n")
        try dir.write("Maildir/new/8.b.host", "Subject: b\n\ny\n")
        try dir.mkdir("Maildir/cur")
        let container = MailContainer(format: MaildirFormat(), path: root.path, folder: "INBOX")
        var items: [String] = []
        try MaildirFolder(container).forEachBatch(size: 1) { batch in
            items += batch.map(\.item)
            // The server files each message as soon as it was handed out.
            for message in batch where message.item.hasPrefix("new/") {
                let name = String(message.item.dropFirst(4))
                try FileManager.default.moveItem(
                    at: root.appendingPathComponent("new/" + name), to: root.appendingPathComponent("cur/" + name + ":2,S"))
            }
        }
        #expect(items.sorted() == ["new/7.a.host", "new/8.b.host"])

        try dir.write("Maildir/new/9.c.host", "Subject: c\n\nz\n")
        try dir.write("Maildir/cur/9.c.host:2,S", "Subject: c\n\nz\n")
        var both: [String] = []
        try MaildirFolder(container).forEachBatch(size: 10) { both += $0.map(\.item) }
        #expect(both.filter { $0.contains("9.c.host") }.count == 2)
    }

    @Test func identitySurvivesFlagChangeAndMoveToCur() throws {
        let dir = try TemporaryDirectory()
        let root = dir.url.appendingPathComponent("Maildir")
        try dir.write("Maildir/new/5.x.host,S=3", "abc")
        let container = MailContainer(format: MaildirFormat(), path: root.path, folder: "INBOX")
        var before: [StoredMessage] = []
        try MaildirFolder(container).forEachBatch { before += $0 }
        try dir.mkdir("Maildir/cur")
        try FileManager.default.moveItem(
            at: root.appendingPathComponent("new/5.x.host,S=3"), to: root.appendingPathComponent("cur/5.x.host,S=3:2,RS"))
        var after: [StoredMessage] = []
        try MaildirFolder(container).forEachBatch { after += $0 }
        #expect(before.count == 1 && after.count == 1)
        #expect(before[0].identity == after[0].identity)
        #expect(after[0].flags == "RS")
    }
}
