import FileSystem
import Foundation
import MailStores
import PrivacyEvents
import SQLiteLedger
import SubjectSearch
import TestSupport
import Testing

@testable import PrivctlKit

/// The write-ahead journal: an erasure is never made without its record. A run that was killed
/// after changing a mailbox, or could not write the ledger, leaves its planned events in the
/// journal; the next run records the changes that happened, and only those.
@Suite struct ErasureJournalTests {
    let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))

    func plannedErase(_ path: String, hash: String) -> PrivacyEvent {
        PrivacyEvent(
            host: "mx-test", kind: .erase, subjects: [key.pseudonym(for: "alice@example.org")], dataCategory: "correspondence",
            purpose: "", legalBasis: LegalBasis(.legitimateInterests),
            location: DataLocation(store: path, item: "cur/x", contentHash: hash), details: ["request": "r1"])
    }

    @Test func aKilledRunsChangesAreRecordedByTheNextRunAndOnlyThose() throws {
        let dir = try TemporaryDirectory()
        let root = try FileSystem.resolveNamedPath(dir.url.path)
        let database = try LedgerDatabase(url: dir.url.appendingPathComponent("state/ledger.sqlite"))
        let ledger = SQLiteLedger(database: database)
        let index = MessageIndex(database: database)
        let gone = "From: alice@example.org\nSubject: erased before the kill\n\nx\n"
        let stays = "From: alice@example.org\nSubject: the kill came first\n\ny\n"
        try dir.write("Maildir/cur/1.a.mx:2,S", gone)
        try dir.write("Maildir/cur/2.b.mx:2,S", stays)
        try dir.mkdir("Maildir/new")
        let goneEvent = plannedErase(root + "/Maildir", hash: ContentHash.sha256(Array(gone.utf8)))
        let staysEvent = plannedErase(root + "/Maildir", hash: ContentHash.sha256(Array(stays.utf8)))
        // What a run wrote before acting, then it erased one message and was killed.
        try IntentJournal(database: database).record(ErasureIntent(
            container: root + "/Maildir", store: root + "/Maildir", format: "maildir",
            steps: [
                .init(event: goneEvent, contentHash: goneEvent.location.contentHash!, leavesStore: true),
                .init(event: staysEvent, contentHash: staysEvent.location.contentHash!, leavesStore: true),
            ]))
        try FileManager.default.removeItem(atPath: root + "/Maildir/cur/1.a.mx:2,S")

        // Any later erasure run completes the record first.
        let erasure = ErasureRun(
            configuration: .init(
                policy: .builtIn, key: key, host: "mx-test", operation: .erase,
                selection: .subject(try SubjectQuery(addresses: ["nobody@example.net"])), subjects: [],
                day: CalendarDay(iso: "2026-12-01")!, dryRun: false),
            ledger: ledger, index: index, holds: [])
        let receipt = try erasure.run(containers: MailStoreFormats.scan([root + "/Maildir"]).containers, paths: [root + "/Maildir"])
        #expect(receipt.recovered.count == 1)
        #expect(receipt.recovered.first?.contains("1 of 2 planned change(s)") == true)
        var erased: [PrivacyEvent] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.erase])) { erased.append($0.event) }
        #expect(erased.map(\.id) == [goneEvent.id])
        #expect(erased.first?.details["recordedBy"]?.contains("interrupted") == true)
        #expect(try IntentJournal(database: database).pending().isEmpty)
        // The message the killed run never reached is still there, and unrecorded.
        #expect(FileManager.default.fileExists(atPath: root + "/Maildir/cur/2.b.mx:2,S"))
        // Recording twice records once: a second run finds nothing to complete.
        let again = try erasure.run(containers: MailStoreFormats.scan([root + "/Maildir"]).containers, paths: [root + "/Maildir"])
        #expect(again.recovered.isEmpty)
    }

    @Test func aFinishedRunLeavesNoJournalEntry() throws {
        let dir = try TemporaryDirectory()
        let root = try FileSystem.resolveNamedPath(dir.url.path)
        let database = try LedgerDatabase(url: dir.url.appendingPathComponent("state/ledger.sqlite"))
        try dir.write("Maildir/cur/1.a.mx:2,S", "From: alice@example.org\nSubject: hi\nDate: Mon, 2 Mar 2020 10:00:00 +0100\n\nx\n")
        try dir.mkdir("Maildir/new")
        let erasure = ErasureRun(
            configuration: .init(
                policy: .builtIn, key: key, host: "mx-test", operation: .erase,
                selection: .subject(try SubjectQuery(addresses: ["alice@example.org"])), subjects: [],
                day: CalendarDay(iso: "2026-12-01")!, dryRun: false),
            ledger: SQLiteLedger(database: database), index: MessageIndex(database: database), holds: [])
        let receipt = try erasure.run(containers: MailStoreFormats.scan([root + "/Maildir"]).containers, paths: [root + "/Maildir"])
        #expect(receipt.items.count == 1)
        #expect(receipt.verification?.passed == true)
        #expect(try IntentJournal(database: database).pending().isEmpty)
        // The event on record has the id that was planned for it: one id per change.
        #expect(receipt.items.first?.eventId != nil)
    }

    @Test func theLedgerAndItsFilesArePrivate() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("state/ledger.sqlite")
        let ledger = SQLiteLedger(database: try LedgerDatabase(url: url))
        try ledger.append([plannedErase("/x", hash: String(repeating: "a", count: 64))])
        for name in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"] {
            let path = dir.url.appendingPathComponent("state/" + name).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode.map { $0 & 0o077 } == 0, "\(name) mode \(String(mode ?? 0, radix: 8))")
        }
    }
}
