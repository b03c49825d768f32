import SubjectSearch
import Foundation
import MailStores
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger
import TestSupport
import Testing

@testable import PrivctlKit

@Suite struct ErasureRunTests {
    let key = PseudonymKey(bytes: Array(repeating: 5, count: 32))
    static let day = CalendarDay(iso: "2026-11-26")!

    /// Alice's mail among other mail, in a Maildir and an mbox.
    final class Fixture {
        let dir: TemporaryDirectory
        let database: LedgerDatabase
        let ledger: SQLiteLedger
        let index: MessageIndex

        init() throws {
            dir = try TemporaryDirectory()
            database = try LedgerDatabase(url: dir.url.appendingPathComponent("state/ledger.sqlite"))
            ledger = SQLiteLedger(database: database)
            index = MessageIndex(database: database)
        }

        var maildir: String { dir.url.appendingPathComponent("Maildir").path }

        /// An invoice to alice (8-year duty), her newsletter subscription (address only in a
        /// base64 body), jimbob's mail and an unrelated message.
        func makeMaildir() throws {
            try dir.write("Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
            let body = Data("Hallo, Ihre Adresse alice@example.org wurde eingetragen.\n".utf8).base64EncodedString()
            try dir.write("Maildir/cur/1794128400.M2P2.mx:2,S", """
                From: News <news@newsletter.example>\r
                To: subscribers@newsletter.example\r
                Subject: Willkommen\r
                Date: Mon, 02 Nov 2026 08:00:00 +0000\r
                Message-ID: <welcome@newsletter.example>\r
                List-Id: <news.newsletter.example>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: base64\r
                \r
                \(body)\r

                """)
            try dir.write("Maildir/cur/1794128401.M3P3.mx:2,S", "From: jimbob@example.org\r\nTo: alice@example.org.evil\r\nSubject: not her\r\nDate: Mon, 02 Nov 2026 08:00:00 +0000\r\n\r\nbody\r\n")
            try dir.write("Maildir/.Privat/cur/1795201200.M4P4.mx:2,S", SampleMail.personal(from: "erna@gmx.de"))
            try dir.write("Maildir/.Privat/maildirfolder", "")
        }

        func run(
            _ operation: ErasureRun.Operation, _ selection: ErasureRun.Selection, paths: [String]? = nil, dryRun: Bool = false,
            holds: [LegalHold] = [], day: CalendarDay = ErasureRunTests.day, key: PseudonymKey
        ) throws -> ErasureReceipt {
            let paths = paths ?? [maildir]
            let erasure = ErasureRun(
                configuration: .init(
                    policy: .builtIn, key: key, host: "mx-test", operation: operation, selection: selection,
                    subjects: [key.pseudonym(for: "alice@example.org")], day: day, dryRun: dryRun, lockTimeout: 0.3),
                ledger: dryRun ? nil : ledger, index: dryRun ? nil : index, holds: holds)
            return try erasure.run(containers: MailStoreFormats.scan(paths).containers, paths: paths)
        }

        func events(_ kind: EventKind) throws -> [PrivacyEvent] {
            var found: [PrivacyEvent] = []
            try ledger.forEachEvent(matching: EventFilter(kinds: [kind])) { found.append($0.event) }
            return found
        }

        func tree() throws -> [String: Data] {
            var files: [String: Data] = [:]
            let root = dir.url.path
            for relative in FileManager.default.enumerator(atPath: root)!.compactMap({ $0 as? String })
            where !relative.hasPrefix("state") {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
                if !isDirectory.boolValue { files[relative] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)) }
            }
            return files
        }
    }

    var alice: ErasureRun.Selection { .subject(try! SubjectQuery(addresses: ["Alice@Example.org"])) }

    @Test func erasesWhatIsFreeBlocksWhatADutyKeepsAndTouchesNothingElse() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let before = try f.tree()
        let receipt = try f.run(.erase, alice, key: key)

        let byName = Dictionary(uniqueKeysWithValues: receipt.items.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
        #expect(byName.count == 2)
        let invoice = try #require(byName["1551777300.M1P1.mx:2,S"])
        #expect(invoice.action == .blocked)
        #expect(invoice.category == "accounting-document")
        #expect(invoice.retainUntil == "2027-12-31")
        #expect(invoice.reason.contains("legal retention duty until 2027-12-31"))
        #expect(invoice.foundIn.contains("To"))
        let newsletter = try #require(byName["1794128400.M2P2.mx:2,S"])
        #expect(newsletter.action == .erased)
        #expect(newsletter.foundIn == ["text part 1 (text/plain)"])
        #expect(newsletter.sha256 == ContentHash.sha256([UInt8](before["Maildir/cur/1794128400.M2P2.mx:2,S"]!)))
        #expect(receipt.verification?.passed == true)

        let after = try f.tree()
        // jimbob's and erna's messages are byte-identical; alice's are gone from the Maildir.
        #expect(after["Maildir/cur/1794128401.M3P3.mx:2,S"] == before["Maildir/cur/1794128401.M3P3.mx:2,S"])
        #expect(after["Maildir/.Privat/cur/1795201200.M4P4.mx:2,S"] == before["Maildir/.Privat/cur/1795201200.M4P4.mx:2,S"])
        #expect(after["Maildir/cur/1794128400.M2P2.mx:2,S"] == nil)
        #expect(after["Maildir/cur/1551777300.M1P1.mx:2,S"] == nil)
        // The invoice is in the blocked store, byte for byte.
        #expect(after[".privctl-blocked/Maildir/cur/1551777300.M1P1.mx:2,S"] == before["Maildir/cur/1551777300.M1P1.mx:2,S"])

        // The ledger: the request first, then one block and one erase event, chain intact.
        let request = try #require(try f.events(.request).first)
        #expect(receipt.requestId == request.id.rawValue)
        #expect(request.subjects == [key.pseudonym(for: "alice@example.org")])
        #expect(request.details["deadline"] == CalendarDay(request.time).adding(months: 1).description)
        let block = try #require(try f.events(.block).first)
        #expect(block.keepUntil?.description == "2027-12-31")
        #expect(block.legalDuty == true)
        #expect(block.details["request"] == request.id.rawValue)
        #expect(try f.events(.erase).count == 1)
        #expect(try f.ledger.verify().isIntact)
        // No plain address in the receipt or the ledger.
        var payloads = ""
        try f.ledger.forEachEvent(matching: .all) { payloads += $0.payload }
        #expect(!payloads.lowercased().contains("alice@example.org"))
        #expect(!receipt.json().lowercased().contains("alice@example.org"))
    }

    @Test func anUnparseableMessageWithHerAddressIsFoundToo() throws {
        let f = try Fixture()
        try f.dir.write("Maildir/cur/1700000000.M9P9.mx:2,S", [0x00, 0x01] + Array(" alice@example.org ".utf8) + [0xff, 0x00])
        let receipt = try f.run(.erase, alice, key: key)
        #expect(receipt.items.map(\.action.rawValue) == ["erased"])
        #expect(receipt.items.first?.foundIn == ["message bytes (the message cannot be parsed)"])
        #expect(receipt.items.first?.category == "unclassified")
    }

    @Test func singleMessagesBySHA256() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let jim = "Maildir/cur/1794128401.M3P3.mx:2,S"
        let hash = ContentHash.sha256([UInt8](try f.tree()[jim]!))
        let receipt = try f.run(.erase, .subject(try SubjectQuery(contentHashes: [hash])), key: key)
        #expect(receipt.items.map(\.sha256) == [hash])
        #expect(receipt.items.first?.foundIn == ["content hash"])
        #expect(try f.tree()[jim] == nil)
        #expect(try f.tree().count == 5)
    }

    @Test func dryRunChangesAndRecordsNothing() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let before = try f.tree()
        let receipt = try f.run(.erase, alice, dryRun: true, key: key)
        #expect(receipt.items.map(\.action.rawValue).sorted() == ["blocked", "erased"])
        #expect(receipt.dryRun)
        #expect(try f.tree() == before)
        #expect(try f.ledger.count() == 0)
        // What would happen, in the conditional, with each message's day, sender and subject
        // on a terminal, and never in the JSON a file keeps.
        let text = receipt.text(showingMessages: true)
        #expect(text.contains("result:    1 would block, 1 would erase\n"))
        #expect(text.contains("WOULD ERASE  "))
        #expect(text.contains("    message: 2026-11-02  News <news@newsletter.example>  Willkommen\n"), "\(text)")
        #expect(!receipt.text().contains("message: "))
        #expect(!receipt.json().contains("Willkommen"))
    }

    @Test func aLegalHoldKeepsWhatItCovers() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let before = try f.tree()
        let hold = LegalHold(
            id: "hold-1", subjects: [key.pseudonym(for: "alice@example.org")], messageIDHashes: [], contentHashes: [], stores: [],
            reason: "claim 2 O 123/26", until: nil)
        let receipt = try f.run(.erase, alice, holds: [hold], key: key)
        #expect(receipt.items.allSatisfy { $0.action == .held && $0.reason.contains("claim 2 O 123/26") })
        #expect(try f.tree() == before)
    }

    /// A hold names single messages by their Message-ID's keyed hash; holds placed before the
    /// hash named them in plain text and are still honoured.
    @Test func aHoldOnAMessageIDHoldsItByHashAndFromOldPlainEvents() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let before = try f.tree()
        let hold = LegalHold(
            id: "hold-2", subjects: [], messageIDHashes: [key.messageIDHash(for: "<RECHNUNG-1@lieferant.example>")],
            contentHashes: [], stores: [], reason: "audit", until: nil)
        let placed = hold.event(host: "mx-test")
        var old = LegalHold(
            id: "hold-3", subjects: [], messageIDHashes: [], contentHashes: [], stores: [], reason: "old", until: nil
        ).event(host: "mx-test")
        old.details["messageIDs"] = "<welcome@newsletter.example>"
        try f.ledger.append([placed, old])
        let holds = try LegalHold.active(in: f.ledger, on: ErasureRunTests.day, key: key)
        #expect(holds.map(\.id) == ["hold-2", "hold-3"])
        #expect(holds[1].messageIDHashes == [key.messageIDHash(for: "<welcome@newsletter.example>")])
        let receipt = try f.run(.erase, alice, holds: holds, key: key)
        #expect(receipt.items.count == 2)
        #expect(receipt.items.allSatisfy { $0.action == .held }, "\(receipt.items.map(\.action))")
        #expect(try f.tree() == before)
        var payload = ""
        try f.ledger.forEachEvent(matching: EventFilter(kinds: [.hold], limit: 1)) { payload = $0.payload }
        #expect(!payload.lowercased().contains("rechnung-1") && payload.contains("messageIDHashes"))
    }

    @Test func mboxErasureKeepsEveryOtherMessageByteIdentical() throws {
        let f = try Fixture()
        let aliceNewsletter = SampleMail.newsletter(n: 7).replacingOccurrences(
            of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org")
        let messages = [SampleMail.newsletter(n: 1), aliceNewsletter, SampleMail.cron(n: 2)]
        let text = messages.enumerated().map { "From x\($0.offset)@example.org Thu Jan  1 10:00:00 2026\n" + $0.element }
            .joined(separator: "\n")
        let url = try f.dir.write("mail/anna", text)
        let receipt = try f.run(.erase, alice, paths: [url.path], key: key)
        #expect(receipt.items.map(\.action.rawValue) == ["erased"])
        #expect(receipt.items.first?.path == url.path + "#1")
        #expect(receipt.verification?.passed == true)
        let expected = "From x0@example.org Thu Jan  1 10:00:00 2026\n" + messages[0] + "\n"
            + "From x2@example.org Thu Jan  1 10:00:00 2026\n" + messages[2]
        #expect(String(decoding: try Data(contentsOf: url), as: UTF8.self) == expected)
    }

    @Test func blockAndUnblockReturnEverythingByteIdentical() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let url = try f.dir.write("mail/anna", "From a@x Thu Jan  1 10:00:00 2026\n" + SampleMail.personal(from: "alice@example.org"))
        let before = try f.tree()
        let blocked = try f.run(.block, alice, paths: [f.maildir, url.path], key: key)
        #expect(blocked.items.count == 3)
        #expect(blocked.items.allSatisfy { $0.action == .blocked })
        #expect(blocked.verification?.passed == true)
        #expect(try f.tree()[".privctl-blocked/Maildir/cur/1794128400.M2P2.mx:2,S"] != nil)

        let unblock = UnblockRun(
            policy: .builtIn, key: key, host: "mx-test", query: try SubjectQuery(addresses: ["alice@example.org"]),
            subjects: [], day: Self.day, dryRun: false)
        let receipt = try unblock.run(containers: MailStoreFormats.scan([f.maildir, url.path]).containers, paths: [], ledger: f.ledger)
        #expect(receipt.items.count == 3)
        #expect(receipt.verification?.passed == true)
        var after = try f.tree()
        // The blocked mbox stays as an empty file; everything else is as before.
        #expect(after.removeValue(forKey: "mail/.privctl-blocked/anna")?.isEmpty == true)
        #expect(after == before)
        #expect(try f.events(.retain).count == 3)
    }

    @Test func expireErasesBlockedMailWhenTheDutyEnds() throws {
        let f = try Fixture()
        try f.makeMaildir()
        _ = try f.run(.erase, alice, key: key)
        // On 2028-01-01 the invoice's duty (until 2027-12-31) has ended.
        let ends = try BlockedStores.blockEnds(in: f.ledger)
        let blockedContainers = try BlockedStores.containers(for: try MailStoreFormats.scan([f.maildir]).containers)
        let early = try f.run(.expire, .blockEnded(ends), paths: [f.maildir], day: CalendarDay(iso: "2027-12-31")!, key: key)
        #expect(early.items.isEmpty)
        let erasure = ErasureRun(
            configuration: .init(
                policy: .builtIn, key: key, host: "mx-test", operation: .expire, selection: .blockEnded(ends), subjects: [],
                day: CalendarDay(iso: "2028-01-01")!, dryRun: false),
            ledger: f.ledger, index: f.index, holds: [])
        let receipt = try erasure.run(containers: blockedContainers, paths: [f.maildir])
        #expect(receipt.items.map(\.action.rawValue) == ["erased"])
        #expect(receipt.items.first?.reason.contains("blocked until 2027-12-31") == true)
        #expect(try f.tree()[".privctl-blocked/Maildir/cur/1551777300.M1P1.mx:2,S"] == nil)
    }

    @Test func expireErasesDueLiveMailButOnlyWherePolicySaysErase() throws {
        let f = try Fixture()
        try f.makeMaildir()
        // On 2028-01-02: the newsletter (1 year) is due and erased; the personal message is due
        // for review only; the invoice (until 2027-12-31) is due too.
        let receipt = try f.run(.expire, .due, day: CalendarDay(iso: "2028-01-02")!, key: key)
        let names = Set(receipt.items.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        #expect(names.contains("1794128400.M2P2.mx:2,S"))
        #expect(names.contains("1551777300.M1P1.mx:2,S"))
        #expect(!names.contains("1795201200.M4P4.mx:2,S"))
        #expect(receipt.verification?.passed == true)
        #expect(try f.events(.request).isEmpty)
    }

    @Test func aLockedMboxIsSkippedUnchanged() throws {
        let f = try Fixture()
        let url = try f.dir.write("mail/anna", "From a@x Thu Jan  1 10:00:00 2026\n" + SampleMail.personal(from: "alice@example.org"))
        try f.dir.write("mail/anna.lock", "1\n")
        let before = try Data(contentsOf: url)
        let receipt = try f.run(.erase, alice, paths: [url.path], key: key)
        #expect(receipt.skipped.count == 1)
        #expect(receipt.skipped.first?.contains("locked by another program") == true)
        #expect(try Data(contentsOf: url) == before)
        #expect(try f.events(.erase).isEmpty)
        #expect(try f.events(.request).count == 1)
    }

    /// Erasing a copy (the same unique name in another folder) forgets the copy's scan-index
    /// row only: the original stays known, so the next classify neither collects it again nor
    /// reports the copy gone a second time.
    @Test func erasingACopyKeepsTheOriginalsRow() throws {
        let f = try Fixture()
        try f.makeMaildir()
        try f.dir.mkdir("Maildir/.Junk/cur")
        try f.dir.write("Maildir/.Junk/maildirfolder", "")
        let name = "1794128400.M2P2.mx:2,S"
        try FileManager.default.copyItem(atPath: f.maildir + "/cur/" + name, toPath: f.maildir + "/.Junk/cur/" + name)
        let classify = ClassifyRun(
            configuration: .init(policy: .builtIn, key: key, host: "mx-test", evaluationDay: Self.day),
            ledger: f.ledger, index: f.index)
        _ = try classify.run(paths: [f.maildir])
        #expect(try f.index.count() == 5)
        let collected = try f.events(.collect).count
        _ = try f.run(.erase, alice, paths: [f.maildir + "/.Junk"], key: key)
        #expect(!FileManager.default.fileExists(atPath: f.maildir + "/.Junk/cur/" + name))
        #expect(FileManager.default.fileExists(atPath: f.maildir + "/cur/" + name))
        #expect(try f.index.count() == 4)
        let erased = try f.events(.erase).count
        let summary = try classify.run(paths: [f.maildir])
        #expect(summary.vanished == 0)
        #expect(summary.parsed == 0)
        #expect(try f.events(.collect).count == collected)
        #expect(try f.events(.erase).count == erased)
    }

    @Test func classifyAfterEraseRecordsNoVanishedMessages() throws {
        let f = try Fixture()
        try f.makeMaildir()
        let classify = ClassifyRun(
            configuration: .init(policy: .builtIn, key: key, host: "mx-test", evaluationDay: Self.day),
            ledger: f.ledger, index: f.index)
        _ = try classify.run(paths: [f.maildir])
        _ = try f.run(.erase, alice, key: key)
        let erasesBefore = try f.events(.erase).count
        let summary = try classify.run(paths: [f.maildir])
        #expect(summary.vanished == 0)
        #expect(summary.messages == 2)
        #expect(try f.events(.erase).count == erasesBefore)
    }
}
