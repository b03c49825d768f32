import Foundation
import PostgresLedger
import PrivacyEvents
import TestSupport
import Testing

/// What only the PostgreSQL backend has: schema migrations, host roles, connection failures.
@Suite(.enabled(if: PostgresServer.isAvailable, "\(PostgresServer.unavailableReason)"))
struct PostgresLedgerTests {
    let make = EventMaker()

    @Test func migrationsAreVersionedAndRunOnce() throws {
        let fixture = try LedgerFixture(.postgres)
        let first = try PostgresLedger(url: fixture.location)
        try first.connect()
        #expect(try fixture.sql("SELECT version FROM schema_migrations").output == "\(PostgresSchema.currentVersion)")
        // Many hosts opening at once migrate once.
        let ledgers = try (0..<4).map { _ in try PostgresLedger(url: fixture.location) }
        DispatchQueue.concurrentPerform(iterations: ledgers.count) { try! ledgers[$0].connect() }
        #expect(try fixture.sql("SELECT count(*) FROM schema_migrations").output == "1")
        #expect(try fixture.sql("SELECT count(*) FROM pg_indexes WHERE tablename = 'event'").output == "5")
    }

    @Test func aHostRoleAppendsToItsOwnChainAndCannotChangeAnything() throws {
        let fixture = try LedgerFixture(.postgres)
        let server = try #require(fixture.server)
        let database = try #require(fixture.database)
        let owner = try PostgresLedger(url: fixture.location)
        try owner.append([make.event(.retain, host: "mx2")])

        let role = "host_" + database  // roles are cluster-wide: one per test database
        let roleSQL = PostgresLedger.hostRoleSQL(role: role, host: "mx1")
        #expect(try fixture.sql(roleSQL).ok)

        let host = try PostgresLedger(url: server.url(database: database, user: role))
        let written = try host.append([make.event(.retain), make.event(.erase)])
        #expect(written.map(\.sequence) == [1, 2])
        #expect(try fixture.count(host) == 3)  // it reads the whole fleet ledger
        #expect(try host.verify().isIntact)

        // Neither privilege nor trigger lets it change or remove a row.
        for sql in [
            "UPDATE event SET kind = 'erase'", "DELETE FROM event", "TRUNCATE event CASCADE",
            "UPDATE event_subject SET subject = 'x'", "DELETE FROM event_subject",
        ] {
            do {
                try server.psql(sql, database: database, user: role)
                Issue.record("\(sql) succeeded")
            } catch {
                #expect("\(error)".contains("permission denied"), "\(sql): \(error)")
            }
        }
        // Nor append to another host's chain.
        #expect(throws: LedgerError.self) { try host.append([make.event(.block, host: "mx2")]) }
        do {
            try host.append([make.event(.block, host: "mx2")])
        } catch {
            #expect("\(error)".contains("row-level security"), "\(error)")
        }
        #expect(try owner.verify().eventCount == 3)
        #expect(try owner.verify().isIntact)
    }

    @Test func aHostRoleCannotCreateTheSchema() throws {
        let fixture = try LedgerFixture(.postgres)
        let server = try #require(fixture.server)
        let database = try #require(fixture.database)
        let role = "early_" + database
        #expect(try fixture.sql("CREATE ROLE \(role) LOGIN").ok)
        let host = try PostgresLedger(url: server.url(database: database, user: role))
        #expect {
            try host.append([make.event(.retain)])
        } throws: { error in
            "\(error)".contains("open it once as the database owner")
        }
    }

    @Test func connectsThroughTheUnixSocket() throws {
        let fixture = try LedgerFixture(.postgres)
        let server = try #require(fixture.server)
        let url = "postgres://\(server.owner)@:\(server.port)/\(fixture.database!)?host=\(server.directory.path)"
        let ledger = try PostgresLedger(url: url)
        #expect(try ledger.append([make.event(.retain)]).count == 1)
        #expect(try ledger.verify().isIntact)
    }

    @Test func anUnreachableServerIsReportedAsUnavailable() throws {
        let port = try PostgresServer.freePort()
        let ledger = try PostgresLedger(url: "postgres://nobody@127.0.0.1:\(port)/privctl?connect_timeout=2")
        let started = Date()
        #expect(throws: LedgerUnavailableError.self) { try ledger.append([make.event(.retain)]) }
        #expect(throws: LedgerUnavailableError.self) { try ledger.connect() }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// The case the query timeout is for: a server that stops answering in the middle of a
    /// statement (here its backend is stopped with SIGSTOP) must not hang the caller.
    @Test(.timeLimit(.minutes(1))) func aServerThatStopsAnsweringIsAnOutageAfterTheQueryTimeout() throws {
        let server = try #require(sharedPostgres)
        let database = try server.createDatabase()
        let url = server.url(database: database).replacingOccurrences(of: "query_timeout=20", with: "query_timeout=2")
        let ledger = try PostgresLedger(url: url)
        try ledger.append([make.event(.retain)])
        let pid = try server.psql(
            "SELECT pid FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()", database: database)
        let backend = try #require(pid_t(pid), "one backend expected: \(pid)")
        #expect(kill(backend, SIGSTOP) == 0)
        let started = Date()
        #expect(throws: LedgerUnavailableError.self) { try ledger.count() }
        let waited = Date().timeIntervalSince(started)
        #expect(kill(backend, SIGCONT) == 0)
        #expect(waited >= 1.5 && waited < 10, "waited \(waited) s")
        // The stuck connection was dropped: the next call connects anew.
        #expect(try ledger.count() == 1)
    }

    @Test func aMissingDatabaseIsAnErrorNotAnOutage() throws {
        let server = try #require(sharedPostgres)
        let ledger = try PostgresLedger(url: server.url(database: "no_such_database"))
        #expect {
            try ledger.connect()
        } throws: { error in
            error is LedgerError && "\(error)".contains("no_such_database")
        }
    }

    @Test func hostRoleSQLQuotesNames() {
        let sql = PostgresLedger.hostRoleSQL(role: "mx\"1", host: "o'brien")
        #expect(sql.contains("CREATE ROLE \"mx\"\"1\" LOGIN;"))
        #expect(sql.contains("WITH CHECK (host = 'o''brien')"))
        #expect(!sql.contains("UPDATE") && !sql.contains("DELETE"))
    }
}
