import Foundation
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger
import TestSupport
import Testing

@testable import PrivctlKit

@Suite struct ClassifyRunTests {
    let key = PseudonymKey(bytes: Array(repeating: 9, count: 32))

    /// A store, a ledger and a way to run classify over them.
    final class Fixture {
        let dir: TemporaryDirectory
        let database: LedgerDatabase
        let ledger: SQLiteLedger
        let index: MessageIndex
        let key: PseudonymKey
        var policy = RetentionPolicy.builtIn
        var folderRowsLimit = ClassifyRun.Configuration(
            policy: .builtIn, key: PseudonymKey(bytes: Array(repeating: 0, count: 32)), host: "", evaluationDay: CalendarDay(iso: "2026-11-26")!
        ).folderRowsLimit

        init(key: PseudonymKey) throws {
            dir = try TemporaryDirectory()
            database = try LedgerDatabase(url: dir.url.appendingPathComponent("state/ledger.sqlite"))
            ledger = SQLiteLedger(database: database)
            index = MessageIndex(database: database)
            self.key = key
        }

        var maildir: URL { dir.url.appendingPathComponent("Maildir") }

        @discardableResult
        func classify(
            _ paths: [String]? = nil, record: Bool = true, eachMessage: Bool = true
        ) throws -> (ClassifyRun.Summary, [ClassifiedMessage], [UnreadableMessage]) {
            var configuration = ClassifyRun.Configuration(policy: policy, key: key, host: "mx-test", evaluationDay: CalendarDay(iso: "2026-11-26")!)
            configuration.batchSize = 3
            configuration.eachMessage = eachMessage
            configuration.folderRowsLimit = folderRowsLimit
            let run = ClassifyRun(configuration: configuration, ledger: record ? ledger : nil, index: record ? index : nil)
            var messages: [ClassifiedMessage] = []
            var unreadable: [UnreadableMessage] = []
            let summary = try run.run(
                paths: paths ?? [maildir.path], onMessage: { messages.append($0) }, onUnreadable: { unreadable.append($0) })
            return (summary, messages, unreadable)
        }

        func events(_ kind: EventKind? = nil) throws -> [PrivacyEvent] {
            var found: [PrivacyEvent] = []
            try ledger.forEachEvent(matching: EventFilter(kinds: kind.map { [$0] })) { found.append($0.event) }
            return found
        }

        /// A small Maildir with an invoice, a newsletter, cron mail and a personal message.
        func makeMaildir() throws {
            try dir.write("Maildir/cur/1551777300.M1P1.mx,S=0:2,S", SampleMail.invoice(number: 4711))
            try dir.write("Maildir/new/1794128400.M2P2.mx", SampleMail.newsletter(n: 1))
            try dir.write("Maildir/.Technik/cur/1795572005.M3P3.mx:2,", SampleMail.cron(n: 1))
            try dir.write("Maildir/.Technik/maildirfolder", "")
            try dir.write("Maildir/.Privat/cur/1795201200.M4P4.mx:2,S", SampleMail.personal(from: "erna@gmx.de"))
            try dir.write("Maildir/.Privat/maildirfolder", "")
        }
    }

    @Test func firstRunRecordsOneRetainEventPerMessage() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let (summary, messages, unreadable) = try f.classify()
        #expect(summary.messages == 4)
        #expect(summary.parsed == 4)
        #expect(unreadable.isEmpty)
        let byPath = Dictionary(uniqueKeysWithValues: messages.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
        let invoice = try #require(byPath["1551777300.M1P1.mx,S=0:2,S"])
        #expect(invoice.category == "accounting-document")
        #expect(invoice.retainUntil?.description == "2027-12-31")
        #expect(invoice.expiresOn?.description == "2028-01-01")
        #expect(invoice.messageID == "<rechnung-4711@lieferant.example>")
        #expect(invoice.subjects.contains(key.pseudonym(for: "buchhaltung@lieferant.example")))
        #expect(byPath["1794128400.M2P2.mx"]?.category == "newsletter")
        #expect(byPath["1794128400.M2P2.mx"]?.retainUntil == nil)
        #expect(byPath["1795572005.M3P3.mx:2,"]?.category == "system-mail")

        let retain = try f.events(.retain)
        #expect(retain.count == 4)
        let invoiceHash = key.messageIDHash(for: "<rechnung-4711@lieferant.example>")
        let invoiceEvent = try #require(retain.first { $0.location.messageIDHash == invoiceHash })
        #expect(invoiceEvent.location.messageID == nil)
        #expect(invoiceEvent.keepUntil?.description == "2027-12-31")
        #expect(invoiceEvent.legalDuty == true)
        #expect(invoiceEvent.legalBasis.lawfulBasis == .legalObligation)
        // Maildir messages are known by name, not hashed.
        #expect(invoiceEvent.location.contentHash == nil)
        #expect(invoiceEvent.location.item == "cur/1551777300.M1P1.mx,S=0:2,S")
        #expect(invoiceEvent.host == "mx-test")
        // No plain address anywhere in the ledger.
        var payloads = ""
        try f.ledger.forEachEvent(matching: .all) { payloads += $0.payload }
        #expect(payloads.contains("\"kind\":\"retain\""))
        for address in ["buchhaltung@lieferant.example", "kunde@beispiel-gmbh.de", "erna@gmx.de", "anna@beispiel-gmbh.de"] {
            #expect(!payloads.lowercased().contains(address), "\(address) in the ledger")
        }
        #expect(try f.ledger.verify().isIntact)
        // Nor a Message-ID, in the events or in the scan index beside them: the database's bytes.
        let bytes = try Data(contentsOf: f.dir.url.appendingPathComponent("state/ledger.sqlite"))
        for text in ["rechnung-4711@lieferant.example", "@lieferant.example", "erna@gmx.de"] {
            #expect(bytes.range(of: Data(text.utf8)) == nil, "\(text) in the database")
        }
    }

    /// One collect event per message, the first time it is seen and before its retain event:
    /// its source, delivery time and sender; never again for an unchanged or moved message.
    @Test func collectEventsRecordEachMessageOnce() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.dir.write("Maildir/.Sent/cur/1795201300.M5P5.mx:2,S", SampleMail.personal(from: "anna@beispiel-gmbh.de"))
        try f.dir.write("Maildir/.Sent/maildirfolder", "")
        try f.classify()
        let all = try f.events()
        let collect = all.filter { $0.kind == .collect }
        #expect(collect.count == 5)
        // Each message's collection comes before its retain event.
        for event in collect {
            let collectAt = try #require(all.firstIndex(of: event))
            let retainAt = try #require(all.firstIndex { $0.kind == .retain && $0.location == event.location })
            #expect(collectAt < retainAt)
        }
        let invoice = try #require(collect.first { $0.location.item == "cur/1551777300.M1P1.mx,S=0:2,S" })
        #expect(invoice.details["source"] == "received")
        #expect(invoice.details["collectedAt"] == "2019-03-05T09:15:00.000Z")
        #expect(invoice.details["collectedAtFrom"] == "maildir")
        #expect(invoice.details["from"] == key.pseudonym(for: "buchhaltung@lieferant.example").rawValue)
        #expect(invoice.dataCategory == "accounting-document")
        #expect(invoice.legalBasis.lawfulBasis == .legalObligation)
        #expect(invoice.subjects.contains(key.pseudonym(for: "buchhaltung@lieferant.example")))
        let sent = try #require(collect.first { $0.location.store.hasSuffix("/.Sent") })
        #expect(sent.details["source"] == "written by the mailbox owner")
        // Again, and after a move between folders: nothing new.
        try f.classify()
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent("new/1794128400.M2P2.mx"),
            to: f.maildir.appendingPathComponent(".Technik/cur/1794128400.M2P2.mx:2,S"))
        try f.classify()
        #expect(try f.events(.collect).count == 5)
    }

    @Test func unchangedStoreIsNotParsedAndRecordsNothing() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        let (summary, messages, _) = try f.classify()
        #expect(summary.messages == 4)
        #expect(summary.parsed == 0)
        #expect(summary.retainEvents == 0)
        #expect(messages.allSatisfy { $0.fromIndex })
        #expect(try f.events().count == 8, "a collect and a retain event per message, once")
    }

    /// A folder's rows are read in one query; a folder with more rows than the limit is looked
    /// up batch by batch instead, with the same result. Either way a message moved in from
    /// another folder is known by its key: reclassified, not collected again.
    @Test(arguments: [100_000, 1])
    func unchangedFoldersAreLookedUpWholeOrByBatch(limit: Int) throws {
        let f = try Fixture(key: key)
        f.folderRowsLimit = limit
        try f.makeMaildir()
        for n in 0..<4 { try f.dir.write("Maildir/cur/17952013\(n)0.M9\(n)P9.mx:2,S", SampleMail.newsletter(n: 10 + n)) }
        try f.classify()
        let (summary, messages, _) = try f.classify()
        #expect(summary.messages == 8)
        #expect(summary.parsed == 0)
        #expect(messages.allSatisfy { $0.fromIndex })
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent("cur/1795201300.M90P9.mx:2,S"),
            to: f.maildir.appendingPathComponent(".Privat/cur/1795201300.M90P9.mx:2,S"))
        let (moved, _, _) = try f.classify()
        #expect(moved.parsed == 1)
        #expect(moved.vanished == 0)
        #expect(try f.events(.collect).count == 8)
        // Retained anew only if the folder changed its category, and then as a change.
        let retain = try f.events(.retain)
        #expect(retain.count == 8 || (retain.count == 9 && retain.last?.details["previousCategory"] != nil))
    }

    /// A folder deleted with its messages: they are gone, and say so once; a folder renamed
    /// keeps its messages' history.
    @Test func aDeletedFolderGetsEraseEventsARenamedOneDoesNot() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        try FileManager.default.moveItem(at: f.maildir.appendingPathComponent(".Technik"), to: f.maildir.appendingPathComponent(".Betrieb"))
        let (renamed, _, _) = try f.classify()
        #expect(renamed.vanished == 0)
        #expect(try f.events(.erase).isEmpty)
        #expect(try f.events(.collect).count == 4)
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent(".Privat"))
        let (deleted, _, _) = try f.classify()
        #expect(deleted.vanished == 1)
        let erase = try f.events(.erase)
        #expect(erase.count == 1)
        #expect(erase.first?.location.store.hasSuffix("/.Privat") == true)
        #expect(erase.first?.details["reason"]?.contains("removed outside privctl") == true)
        #expect(try f.index.count(in: f.maildir.appendingPathComponent(".Privat").path) == 0)
        let (again, _, _) = try f.classify()
        #expect(again.vanished == 0)
        #expect(try f.events(.erase).count == 1)
    }

    /// A Maildir++ folder named on its own belongs to its store, with Dovecot's marker or
    /// without: classifying it alone and then the whole store records nothing twice.
    @Test func aFolderNamedAloneBelongsToItsStore() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.dir.write("Maildir/.Archiv/cur/1795201300.M7P7.mx:2,S", SampleMail.personal(from: "otto@beispiel.de"))
        try f.classify([f.maildir.appendingPathComponent(".Archiv").path])
        #expect(try f.events(.collect).count == 1)
        let (whole, _, _) = try f.classify()
        #expect(whole.vanished == 0)
        #expect(try f.events(.collect).count == 5)
        #expect(try f.events(.erase).isEmpty)
    }

    @Test func flagChangesAndNewToCurMovesAreNotChanges() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent("new/1794128400.M2P2.mx"),
            to: f.maildir.appendingPathComponent("cur/1794128400.M2P2.mx:2,RS"))
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent("cur/1551777300.M1P1.mx,S=0:2,S"),
            to: f.maildir.appendingPathComponent("cur/1551777300.M1P1.mx,S=0:2,FS"))
        let (summary, messages, _) = try f.classify()
        #expect(summary.parsed == 0)
        #expect(summary.retainEvents == 0)
        #expect(summary.vanished == 0)
        #expect(messages.contains { $0.path.hasSuffix("cur/1794128400.M2P2.mx:2,RS") })
        #expect(try f.events().count == 8)
    }

    /// A message moved, while classify runs, into a folder the run has already read (a mail
    /// client filing it) is not gone: no erase event, its row stays, and the next run finds it
    /// where it is now as a moved message (no erase, no second collect; a retain event only
    /// for its new folder's category).
    @Test func aMessageMovedDuringTheRunIntoAFolderAlreadyReadIsNotGone() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        let before = try f.events().count
        var configuration = ClassifyRun.Configuration(policy: f.policy, key: key, host: "mx-test", evaluationDay: CalendarDay(iso: "2026-11-26")!)
        configuration.batchSize = 3
        // Folders are read INBOX, .Privat, .Technik: once the run reports a message of .Privat,
        // the cron mail moves from .Technik (not read yet) to .Privat (read).
        var moved = false
        let run = ClassifyRun(configuration: configuration, ledger: f.ledger, index: f.index)
        let summary = try run.run(
            paths: [f.maildir.path],
            onMessage: { message in
                guard !moved, message.path.contains("/.Privat/") else { return }
                moved = true
                try? FileManager.default.moveItem(
                    at: f.maildir.appendingPathComponent(".Technik/cur/1795572005.M3P3.mx:2,"),
                    to: f.maildir.appendingPathComponent(".Privat/cur/1795572005.M3P3.mx:2,"))
            }, onUnreadable: { _ in })
        #expect(moved)
        #expect(summary.vanished == 0)
        #expect(try f.events().count == before)
        let collects = try f.events(.collect).count
        let (next, _, _) = try f.classify()
        #expect(next.vanished == 0)
        #expect(try f.events(.erase).isEmpty)
        #expect(try f.events(.collect).count == collects)
    }

    /// A deleted message whose copy (the same unique name) lies in a folder taken as unchanged
    /// from its listing is gone: it gets its erase event (the copy was there before, it did not
    /// arrive during the run).
    @Test func aDeletedMessageWithACopyInAnUnchangedFolderIsErased() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.dir.write("Maildir/.Technik/cur/1795201200.M4P4.mx:2,S", SampleMail.personal(from: "erna@gmx.de"))
        try f.classify(eachMessage: false)
        try f.classify(eachMessage: false)
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent(".Privat/cur/1795201200.M4P4.mx:2,S"))
        let (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.vanished == 1)
        let erased = try f.events(.erase)
        #expect(erased.count == 1 && erased.first?.location.store.hasSuffix("/.Privat") == true, "\(erased.map(\.location))")
    }

    @Test func movingToAnotherFolderReclassifiesWithoutAnEraseEvent() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        try f.dir.mkdir("Maildir/.Junk/cur")
        try f.dir.write("Maildir/.Junk/maildirfolder", "")
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent(".Privat/cur/1795201200.M4P4.mx:2,S"),
            to: f.maildir.appendingPathComponent(".Junk/cur/1795201200.M4P4.mx:2,S"))
        let (summary, messages, _) = try f.classify()
        #expect(summary.parsed == 1)
        #expect(summary.vanished == 0)
        #expect(try f.events(.erase).isEmpty)
        let moved = try #require(messages.first { $0.path.contains(".Junk") })
        #expect(moved.category == "spam")
        let retain = try f.events(.retain)
        #expect(retain.count == 5)
        #expect(retain.last?.details["previousCategory"] == "personal")
    }

    @Test func aDeletedMessageGetsAnEraseEvent() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent(".Technik/cur/1795572005.M3P3.mx:2,"))
        let (summary, _, _) = try f.classify()
        #expect(summary.vanished == 1)
        let erase = try f.events(.erase)
        #expect(erase.count == 1)
        #expect(erase.first?.location.messageIDHash == key.messageIDHash(for: "<cron-1@mail.beispiel-gmbh.de>"))
        #expect(erase.first?.details["reason"]?.contains("removed outside privctl") == true)
        #expect(try f.index.count() == 3)
        // and only once
        #expect(try f.classify().0.vanished == 0)
    }

    @Test func aChangedPolicyReclassifiesAndRecordsOnlyWhatChanged() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        // The same policy with newsletters kept for 2 years instead of 1.
        let yaml = RetentionPolicy.builtInYAML
        let newsletterStart = try #require(yaml.range(of: "id: newsletter"))
        let periodRange = try #require(yaml.range(of: "period: 1 year", range: newsletterStart.upperBound..<yaml.endIndex))
        f.policy = try RetentionPolicy(yaml: yaml.replacingCharacters(in: periodRange, with: "period: 2 years"), file: "changed.yaml")
        let (summary, messages, _) = try f.classify()
        #expect(summary.parsed == 4)
        #expect(summary.retainEvents == 1)
        #expect(messages.first { $0.category == "newsletter" }?.expiresOn?.description == "2028-11-03")
        #expect(try f.classify().0.parsed == 0)
    }

    @Test func mboxMessagesKeepTheirIdentityWhenAnEarlierOneIsRemoved() throws {
        let f = try Fixture(key: key)
        let parts = [SampleMail.newsletter(n: 1), SampleMail.newsletter(n: 2), SampleMail.cron(n: 3)]
        func mbox(_ messages: [String]) -> String {
            messages.map { "From sender@example.org Thu Jan  1 10:00:00 2026\n" + $0 + "\n" }.joined()
        }
        let url = try f.dir.write("mail/archive.mbox", mbox(parts))
        let (first, messages, _) = try f.classify([url.path])
        #expect(first.messages == 3)
        #expect(messages.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["archive.mbox#0", "archive.mbox#1", "archive.mbox#2"])
        try f.dir.write("mail/archive.mbox", mbox(Array(parts.dropFirst())))
        let (second, after, _) = try f.classify([url.path])
        #expect(second.parsed == 0)
        #expect(second.retainEvents == 0)
        #expect(second.vanished == 1)
        #expect(after.map(\.messageID) == ["<news-2@newsletter.example>", "<cron-3@mail.beispiel-gmbh.de>"])
        let erased = try #require(try f.events(.erase).first)
        #expect(erased.location.messageIDHash == key.messageIDHash(for: "<news-1@newsletter.example>"))
        // mbox messages are known by content: the event names the exact bytes.
        let firstBytes = Array(parts[0].utf8)
        #expect(erased.location.contentHash == ContentHash.sha256(firstBytes))
    }

    @Test func unparseableMessagesAreReportedCountedAndKeptForReview() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.dir.write("Maildir/cur/1700000000.M9P9.mx:2,S", [0x00, 0xff, 0xfe, 0x00, 0x01])
        let (summary, messages, unreadable) = try f.classify()
        #expect(summary.messages == 5)
        #expect(summary.unreadable == 1)
        #expect(unreadable.first?.path.hasSuffix("1700000000.M9P9.mx:2,S") == true)
        #expect(messages.first { $0.path.hasSuffix("M9P9.mx:2,S") }?.category == "unclassified")
    }

    @Test func noRecordWritesNothing() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let (summary, _, _) = try f.classify(record: false)
        #expect(summary.messages == 4)
        #expect(try f.events().isEmpty)
        #expect(try f.index.count() == 0)
    }

    /// Without a ledger, the people's pseudonyms (an HMAC each) are made only for lines that
    /// show them; the table comes out the same either way.
    @Test func noRecordMakesPseudonymsOnlyForLinesThatShowThem() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let (each, lines, _) = try f.classify(record: false, eachMessage: true)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { !$0.subjects.isEmpty })
        let (table, bare, _) = try f.classify(record: false, eachMessage: false)
        #expect(bare.allSatisfy { $0.subjects.isEmpty })
        #expect(table.categories.map(\.category) == each.categories.map(\.category))
        #expect(table.categories.map(\.messages) == each.categories.map(\.messages))
        #expect(table.categories.map(\.due) == each.categories.map(\.due))
    }

    @Test func summaryCountsDueMessagesOnTheEvaluationDay() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let (summary, _, _) = try f.classify()
        let system = try #require(summary.categories.first { $0.category == "system-mail" })
        // Cron mail of 2026-11-25 is kept 7 days: not due on 2026-11-26.
        #expect(system.due == 0)
        let accounting = try #require(summary.categories.first { $0.category == "accounting-document" })
        #expect(accounting.due == 0)
        #expect(accounting.oldest?.description == "2019-03-05")
        #expect(summary.bytes == summary.categories.reduce(0) { $0 + $1.bytes })
    }

    @Test func missingPathIsAnErrorNamingIt() throws {
        let f = try Fixture(key: key)
        let missing = f.dir.url.appendingPathComponent("nope").path
        #expect(throws: (any Error).self) { try f.classify([missing]) }
        #expect(try f.events().isEmpty)
    }
}
