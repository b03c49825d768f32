import Foundation
import TestSupport
import Testing

@testable import PrivacyEvents
@testable import SQLiteLedger

@Suite struct SQLiteLedgerTests {
    let key = PseudonymKey(bytes: Array(repeating: 3, count: 32))

    func event(_ kind: EventKind, host: String = "mx1", subject: String = "alice@example.org", item: String = "cur/1") -> PrivacyEvent {
        PrivacyEvent(
            host: host, kind: kind, subjects: [key.pseudonym(for: subject)], dataCategory: "accounting-document",
            purpose: "bookkeeping", legalBasis: LegalBasis(.legalObligation, retentionLaw: "AO §147(1) Nr. 4"),
            location: DataLocation(store: "/srv/mail/anna/Maildir", item: item, messageID: "<1@x>"),
            keepUntil: CalendarDay(iso: "2027-12-31"), legalDuty: true)
    }

    @Test func appendsChainsAndReadsBack() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        let written = try ledger.append([event(.retain), event(.block), event(.erase)])
        #expect(written.map(\.sequence) == [1, 2, 3])
        #expect(written[0].previousHash == EventChain.genesis)
        #expect(written[1].previousHash == written[0].hash)
        var read: [ChainedEvent] = []
        try ledger.forEachEvent(matching: .all) { read.append($0) }
        #expect(read == written)
        #expect(read[0].event.keepUntil?.description == "2027-12-31")
        let verification = try ledger.verify()
        #expect(verification.isIntact)
        #expect(verification.eventCount == 3)
        #expect(verification.heads["mx1"] == written[2].hash)
    }

    @Test func retriedAppendRecordsNothingTwice() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        let e = event(.retain)
        try ledger.append([e])
        let second = try ledger.append([e, event(.erase)])
        #expect(second.count == 1)
        #expect(try ledger.count() == 2)
    }

    @Test func filtersByKindSubjectCategoryHostAndTime() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        var old = event(.retain, subject: "bob@example.org")
        old.time = Date(timeIntervalSince1970: 1_600_000_000)
        try ledger.append([old, event(.retain), event(.erase), event(.block, host: "mx2")])
        func ids(_ filter: EventFilter) throws -> Int {
            var n = 0
            try ledger.forEachEvent(matching: filter) { _ in n += 1 }
            return n
        }
        #expect(try ids(EventFilter(kinds: [.retain])) == 2)
        #expect(try ids(EventFilter(subject: key.pseudonym(for: "BOB@example.org"))) == 1)
        #expect(try ids(EventFilter(subject: key.pseudonym(for: "nobody@example.org"))) == 0)
        #expect(try ids(EventFilter(category: "accounting-document")) == 4)
        #expect(try ids(EventFilter(host: "mx2")) == 1)
        #expect(try ids(EventFilter(since: Date(timeIntervalSince1970: 1_700_000_000))) == 3)
        #expect(try ids(EventFilter(until: Date(timeIntervalSince1970: 1_700_000_000))) == 1)
        #expect(try ids(EventFilter(limit: 2)) == 2)
        // Each host has its own chain.
        #expect(try ledger.verify().hosts == ["mx1", "mx2"])
    }

    @Test func triggersRejectUpdateAndDelete() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let ledger = try SQLiteLedger(url: url)
        try ledger.append([event(.retain)])
        for sql in ["UPDATE event SET kind = 'erase'", "DELETE FROM event", "DELETE FROM event_subject"] {
            let result = try sqlite3(url, sql)
            #expect(result.status != 0, "\(sql)")
            #expect(result.output.contains("append-only"), "\(sql): \(result.output)")
        }
        #expect(try ledger.verify().isIntact)
    }

    @Test func verifyDetectsRowsChangedOrRemovedByTheDatabaseOwner() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let ledger = try SQLiteLedger(url: url)
        try ledger.append([event(.retain, item: "cur/1"), event(.retain, item: "cur/2"), event(.retain, item: "cur/3")])

        // The owner can drop the triggers; verification must still notice.
        _ = try sqlite3(url, "DROP TRIGGER event_append_only_update; DROP TRIGGER event_append_only_delete;")
        _ = try sqlite3(url, "UPDATE event SET payload = replace(payload, 'cur/2', 'cur/9') WHERE sequence = 2")
        var problems = try ledger.verify().problems
        #expect(problems.count == 1)
        #expect(problems.first?.contains("was changed") == true)

        let copy = dir.url.appendingPathComponent("copy.sqlite")
        let fresh = try SQLiteLedger(url: copy)
        try fresh.append([event(.retain, item: "cur/1"), event(.retain, item: "cur/2"), event(.retain, item: "cur/3")])
        _ = try sqlite3(copy, "DROP TRIGGER event_append_only_delete; DROP TRIGGER event_subject_append_only_delete;")
        _ = try sqlite3(copy, "DELETE FROM event_subject WHERE event_id = (SELECT id FROM event WHERE sequence = 2); DELETE FROM event WHERE sequence = 2")
        problems = try fresh.verify().problems
        #expect(problems.contains { $0.contains("expected 2") })
        #expect(problems.contains { $0.contains("does not link") })
    }

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
        #expect(try ledger.verify().isIntact)
    }

    /// Runs the sqlite3 shell on a database.
    func sqlite3(_ url: URL, _ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [url.path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
