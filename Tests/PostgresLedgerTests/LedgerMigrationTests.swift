import Foundation
import PostgresLedger
import PrivacyEvents
import SQLiteLedger
import TestSupport
import Testing

/// A host's SQLite ledger moves into the fleet ledger with its chain intact.
@Suite(.enabled(if: PostgresServer.isAvailable, "\(PostgresServer.unavailableReason)"))
struct LedgerMigrationTests {
    let make = EventMaker()

    func sqliteLedger(in dir: TemporaryDirectory) throws -> SQLiteLedger {
        try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
    }

    func all(_ ledger: any Ledger) throws -> [ChainedEvent] {
        var events: [ChainedEvent] = []
        try ledger.forEachEvent(matching: .all) { events.append($0) }
        return events
    }

    @Test func copiesEveryEventWithItsIdAndChainAndTwiceAddsNothing() throws {
        let fixture = try LedgerFixture(.postgres)
        let source = try sqliteLedger(in: fixture.dir)
        for i in 0..<25 {
            try source.append([
                make.event(.retain, item: "cur/\(i)"), make.event(.retain, host: "backup1", item: "b/\(i)"),
            ])
        }
        try source.append([make.event(.erase, subject: "bob@example.org", item: "cur/3")])
        let target = try PostgresLedger(url: fixture.location)

        var progress: [Int] = []
        let report = try LedgerMigration.copy(from: source, to: target, batchSize: 20) { progress.append($0) }
        #expect(report.copied == 51)
        #expect(report.alreadyPresent == 0)
        #expect(report.hosts == ["backup1", "mx1"])
        #expect(report.verification.isIntact)
        #expect(progress.last == 51)
        // Byte for byte: ids, sequences, previous hashes, hashes, payloads.
        #expect(try all(target) == all(source))
        #expect(try target.verify().heads == source.verify().heads)

        let again = try LedgerMigration.copy(from: source, to: target)
        #expect(again.copied == 0)
        #expect(again.alreadyPresent == 51)
        #expect(try target.count() == 51)

        // Events recorded locally later are copied on the next run; the chain continues.
        try source.append([make.event(.block, item: "cur/7")])
        #expect(try LedgerMigration.copy(from: source, to: target).copied == 1)
        #expect(try all(target) == all(source))
        // And appends to the fleet ledger continue the copied chain.
        let next = try target.append([make.event(.retain, item: "cur/99")])
        #expect(next.first?.sequence == 28)
        #expect(try target.verify().isIntact)
    }

    @Test func refusesWhenTheHostAlreadyWroteToTheFleetLedger() throws {
        let fixture = try LedgerFixture(.postgres)
        let source = try sqliteLedger(in: fixture.dir)
        try source.append([make.event(.retain, item: "cur/1")])
        let target = try PostgresLedger(url: fixture.location)
        try target.append([make.event(.retain, item: "cur/elsewhere")])
        #expect {
            try LedgerMigration.copy(from: source, to: target)
        } throws: { error in
            "\(error)".contains("migrate a host's ledger before it appends")
        }
        #expect(try target.count() == 1)
    }

    @Test func refusesABrokenSource() throws {
        let fixture = try LedgerFixture(.postgres)
        let url = fixture.dir.url.appendingPathComponent("ledger.sqlite")
        let source = try sqliteLedger(in: fixture.dir)
        try source.append([make.event(.retain, item: "cur/1"), make.event(.retain, item: "cur/2")])
        try ChildProcess.check(
            "sqlite3", [url.path, "DROP TRIGGER event_append_only_update; UPDATE event SET payload = replace(payload, 'cur/2', 'cur/9')"])
        let target = try PostgresLedger(url: fixture.location)
        #expect {
            try LedgerMigration.copy(from: source, to: target)
        } throws: { error in
            "\(error)".contains("does not verify")
        }
        #expect(try target.count() == 0)
    }
}
