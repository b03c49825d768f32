import Foundation
import GRDB
import TestSupport
import Testing

@testable import PrivacyEvents
@testable import SQLiteLedger

/// What only the SQLite backend does. Appending, reading, filtering, the append-only triggers
/// and verification are `LedgerBehaviourTests` (Tests/PostgresLedgerTests), run on every backend.
@Suite struct SQLiteLedgerTests {
    let key = PseudonymKey(bytes: Array(repeating: 3, count: 32))

    func event(_ kind: EventKind, item: String) -> PrivacyEvent {
        PrivacyEvent(
            host: "mx1", kind: kind, subjects: [key.pseudonym(for: "alice@example.org")], dataCategory: "accounting-document",
            purpose: "bookkeeping", legalBasis: LegalBasis(.legalObligation, retentionLaw: "AO §147(1) Nr. 4"),
            location: DataLocation(store: "/srv/mail/anna/Maildir", item: item, messageID: "<1@x>"),
            keepUntil: CalendarDay(iso: "2027-12-31"), legalDuty: true)
    }

    /// Threads of one process, each with its own connection to the same file (SQLite's locking
    /// within a process; the processes of `LedgerBehaviourTests` race across processes).
    @Test func concurrentAppendsFromManyThreadsKeepOneChain() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        _ = try SQLiteLedger(url: url)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            // Separate connections, as separate processes would have.
            let ledger = try! SQLiteLedger(url: url)
            for i in 0..<50 { try! ledger.append([event(.retain, item: "w\(worker)/\(i)")]) }
        }
        let ledger = try SQLiteLedger(url: url)
        #expect(try ledger.count() == 200)
        let verification = try ledger.verify()
        #expect(verification.isIntact)
        #expect(verification.eventCount == 200)
    }

    /// A chain read in segments, one per core, verifies as one; a break at a segment's first
    /// row is found by the link between segments.
    @Test func chainsAreVerifiedInSegments() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        for i in 0..<40 { try ledger.append((0..<10).map { event(.retain, item: "cur/\(i)-\($0)") }) }
        let whole = try ledger.verify()
        let segmented = try ledger.verify(segmentMinimum: 50)
        #expect(whole.isIntact && segmented.isIntact)
        #expect(segmented.eventCount == 400)
        #expect(segmented.heads == whole.heads)
        // A ledger whose rows were rewritten behind the triggers' back.
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET previous_hash = hash WHERE sequence = 201")
        }
        let broken = try ledger.verify(segmentMinimum: 50)
        #expect(broken.problems == (try ledger.verify()).problems)
        #expect(broken.problems.contains { $0.contains("(sequence 201) does not link to the event before it") })
        #expect(broken.problems.contains { $0.contains("(sequence 201) was changed") })
    }

    /// Each run reads the start, hold, request and block events first: through an index, not
    /// by scanning every event (a run over an unchanged store must not grow with the ledger).
    @Test func theRareKindsAreReadThroughAnIndex() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        try ledger.append([event(.retain, item: "cur/1"), event(.start, item: "cur/1")])
        let plan = try ledger.database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT payload FROM event WHERE kind IN (?) ORDER BY host, sequence", arguments: ["start"])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX event_kind") }, "\(plan)")
        var starts: [String] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.start])) { starts.append($0.event.location.item ?? "") }
        #expect(starts == ["cur/1"])
    }

    /// A folder listing row that does not read as one (damaged, edited by hand) is no listing:
    /// the folder is then read as usual; nothing crashes.
    @Test func aDamagedFolderListingIsNoListing() throws {
        let dir = try TemporaryDirectory()
        let database = try LedgerDatabase(url: dir.url.appendingPathComponent("ledger.sqlite"))
        let index = MessageIndex(database: database)
        var digest = ListingDigest(salt: (1, 2))
        digest.add(item: "cur/1.a", size: 10)
        for damage in ["digest = 'abc'", "messages = 'x'", "salt = x'00'", "policy = x'00'", "messages = -1", "digest = 1.5"] {
            try index.recordListings([("/m/.Technik", digest)], policy: "p")
            #expect(try index.listing(of: "/m/.Technik")?.digest == digest)
            try database.pool.write { db in try db.execute(sql: "UPDATE folder_listing SET \(damage)") }
            #expect(try index.listing(of: "/m/.Technik") == nil, "\(damage)")
        }
    }
}
