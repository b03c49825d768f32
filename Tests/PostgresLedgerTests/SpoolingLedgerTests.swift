import Foundation
import PostgresLedger
import PrivacyEvents
import SQLiteLedger
import TestSupport
import Testing

/// A host keeps working while the fleet's PostgreSQL is down, and the next run delivers what it
/// spooled, in order, exactly once.
@Suite(.enabled(if: PostgresServer.isAvailable, "\(PostgresServer.unavailableReason)"))
struct SpoolingLedgerTests {
    let make = EventMaker()

    /// The issue's test: the server is stopped (as by a crash) in the middle of a run.
    @Test(.timeLimit(.minutes(2))) func aServerStoppedMidRunLosesNothingAndDuplicatesNothing() throws {
        let server = try PostgresServer()  // its own: this test stops it
        let database = try server.createDatabase()
        let url = server.url(database: database)
        let dir = try TemporaryDirectory()
        let spoolPath = dir.url.appendingPathComponent("spool.sqlite").path
        let remote = try PostgresLedger(url: url)
        try remote.connect()

        let total = 3000
        let run = try StressProcess([
            "append", "--ledger", url, "--spool", spoolPath, "--host", "mx1", "--count", "\(total)",
            "--batch", "50", "--pause-ms", "15", "--item", "cur/m",
        ], in: dir)
        // Stop the server once part of the run is recorded.
        var recorded = 0
        let deadline = Date().addingTimeInterval(60)
        while recorded < 600, Date() < deadline, run.process.isRunning {
            usleep(20_000)
            recorded = Int((try? server.psql("SELECT count(*) FROM event", database: database)) ?? "0") ?? 0
        }
        #expect(run.process.isRunning, "the run ended before the server could be stopped")
        try server.stop(mode: "immediate")
        let result = run.wait()
        #expect(result.status == 0, "\(result.output)")  // the host kept working
        let spool = try EventSpool(url: URL(fileURLWithPath: spoolPath))
        let spooled = try spool.count()
        #expect(spooled > 0 && spooled < total, "\(result.output)")
        #expect(result.output.contains("spooled \(spooled)"), "\(result.output)")

        // The next run, with the server back, delivers.
        try server.start()
        let next = SpoolingLedger(remote: try PostgresLedger(url: url), spool: spool)
        #expect(try next.deliverSpooled() == spooled)
        #expect(try spool.count() == 0)
        #expect(try next.deliverSpooled() == 0)

        let verification = try remote.verify()
        #expect(verification.isIntact, "\(verification.problems.prefix(3))")
        #expect(verification.eventCount == total)
        var items: [String] = []
        try remote.forEachEvent(matching: .all) { items.append($0.event.location.item ?? "") }
        #expect(items == (0..<total).map { "cur/m\($0)" })  // in order, each once
    }

    @Test func aDeliveryCutOffAfterTheRemoteCommittedRecordsNothingTwice() throws {
        let fixture = try LedgerFixture(.postgres)
        let remote = try PostgresLedger(url: fixture.location)
        let spool = try EventSpool(url: fixture.dir.url.appendingPathComponent("spool.sqlite"))
        let events = (0..<10).map { make.event(.retain, item: "cur/\($0)") }
        // The remote committed the first six, the process died before they left the spool.
        try remote.append(Array(events[0..<6]))
        try spool.add(events)
        let ledger = SpoolingLedger(remote: remote, spool: spool, deliveryBatch: 4)
        #expect(try ledger.deliverSpooled() == 10)
        #expect(try remote.count() == 10)
        #expect(try remote.verify().isIntact)
        var items: [String] = []
        try remote.forEachEvent(matching: .all) { items.append($0.event.location.item ?? "") }
        #expect(items == (0..<10).map { "cur/\($0)" })
    }

    @Test func appendsSpoolWhileUnreachableAndKeepOrderAfterwards() throws {
        let dir = try TemporaryDirectory()
        let port = try PostgresServer.freePort()
        let unreachable = try PostgresLedger(url: "postgres://nobody@127.0.0.1:\(port)/privctl?connect_timeout=2")
        let spoolURL = dir.url.appendingPathComponent("spool.sqlite")
        let offline = try SpoolingLedger(remote: unreachable, spoolURL: spoolURL)
        let first = try offline.append([make.event(.retain, item: "cur/a"), make.event(.retain, item: "cur/b")])
        #expect(first.map(\.sequence) == [0, 0])  // spooled: no place in the chain yet
        try offline.append([make.event(.erase, item: "cur/a")])
        #expect(try offline.spooledCount() == 3)
        #expect(offline.lastUnavailability != nil)
        #expect(throws: LedgerUnavailableError.self) { try offline.deliverSpooled() }
        #expect(throws: LedgerUnavailableError.self) { try offline.verify() }

        // Reachable again: the next append delivers the spool first, then appends.
        let fixture = try LedgerFixture(.postgres)
        let remote = try PostgresLedger(url: fixture.location)
        let online = try SpoolingLedger(remote: remote, spoolURL: spoolURL)
        let written = try online.append([make.event(.retain, item: "cur/c")])
        #expect(written.map(\.sequence) == [4])
        #expect(try online.spooledCount() == 0)
        var items: [String] = []
        try online.forEachEvent(matching: .all) { items.append("\($0.event.kind) \($0.event.location.item ?? "")") }
        #expect(items == ["retain cur/a", "retain cur/b", "erase cur/a", "retain cur/c"])
    }

    @Test func errorsOtherThanAnOutageAreNotSpooled() throws {
        let fixture = try LedgerFixture(.postgres)
        let server = try #require(fixture.server)
        let role = "reader_" + fixture.database!
        _ = try PostgresLedger(url: fixture.location).verify()  // the owner migrates
        #expect(try fixture.sql("CREATE ROLE \(role) LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role)").ok)
        let ledger = try SpoolingLedger(
            remote: try PostgresLedger(url: server.url(database: fixture.database!, user: role)),
            spoolURL: fixture.dir.url.appendingPathComponent("spool.sqlite"))
        #expect(throws: LedgerError.self) { try ledger.append([make.event(.retain)]) }
        #expect(try ledger.spooledCount() == 0)
    }
}
