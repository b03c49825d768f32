import Foundation
import PostgresLedger
import PrivacyEvents
import SQLiteLedger
import TestSupport

/// One PostgreSQL cluster for the tests of this target that do not stop their server: started
/// on first use, stopped when the test process exits. Each test makes its own database.
let sharedPostgres: PostgresServer? = {
    guard PostgresServer.isAvailable else { return nil }
    do {
        let server = try PostgresServer()
        atexit { sharedPostgresForExit?.stopAtExit() }
        return server
    } catch {
        print("cannot start PostgreSQL for the tests: \(error)")
        return nil
    }
}()

/// The same server, for the exit handler (which may capture nothing).
var sharedPostgresForExit: PostgresServer? { sharedPostgres }

/// The ledger backends, each test of ``LedgerBehaviourTests`` runs against every one available.
enum Backend: String, CustomStringConvertible, CaseIterable, Sendable {
    case sqlite, postgres

    /// SQLite always; PostgreSQL where a cluster can be started.
    static var available: [Backend] { PostgresServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }
}

/// The backends under test, chosen by the location's scheme as privctl chooses them.
let ledgerBackends = try! LedgerBackends([SQLiteLedgerBackend(), PostgresLedgerBackend()])

/// A fresh, empty ledger of one backend, and owner access to its tables for tampering.
final class LedgerFixture {
    let backend: Backend
    let dir: TemporaryDirectory
    /// The PostgreSQL database, for the postgres backend.
    let database: String?
    let server: PostgresServer?

    init(_ backend: Backend) throws {
        self.backend = backend
        dir = try TemporaryDirectory()
        switch backend {
        case .sqlite:
            database = nil
            server = nil
        case .postgres:
            guard let server = sharedPostgres else { throw PostgresServerError("no PostgreSQL") }
            self.server = server
            database = try server.createDatabase()
        }
    }

    /// What `--ledger` would take.
    var location: String {
        switch backend {
        case .sqlite: return dir.url.appendingPathComponent("ledger.sqlite").path
        case .postgres: return server!.url(database: database!)
        }
    }

    /// Opens the ledger: each call a new connection, as another process would have.
    func open() throws -> any Ledger {
        try ledgerBackends.open(LedgerLocation(parsing: location)).ledger
    }

    /// Runs SQL as the database owner (the sqlite3 shell, or psql as the superuser). Returns
    /// whether it succeeded and what it printed.
    @discardableResult
    func sql(_ text: String) throws -> (ok: Bool, output: String) {
        switch backend {
        case .sqlite:
            let result = try ChildProcess.run("sqlite3", [location, text], mergingErrors: true)
            return (result.succeeded, result.stdout)
        case .postgres:
            do {
                return (true, try server!.psql(text, database: database!))
            } catch {
                return (false, "\(error)")
            }
        }
    }

    /// Lets the owner change and delete events: what someone with the database file or the
    /// owner's password can always do.
    func disableTriggers() throws {
        let result: (ok: Bool, output: String)
        switch backend {
        case .sqlite:
            result = try sql("""
                DROP TRIGGER event_append_only_update; DROP TRIGGER event_append_only_delete;
                DROP TRIGGER event_subject_append_only_delete;
                """)
        case .postgres:
            result = try sql("""
                ALTER TABLE event DISABLE TRIGGER event_append_only;
                ALTER TABLE event_subject DISABLE TRIGGER event_subject_append_only;
                """)
        }
        guard result.ok else { throw PostgresServerError(result.output) }
    }

    /// Number of events, read through the ledger.
    func count(_ ledger: any Ledger, _ filter: EventFilter = .all) throws -> Int {
        var n = 0
        try ledger.forEachEvent(matching: filter) { _ in n += 1 }
        return n
    }
}

/// Test events, as the existing SQLite ledger tests make them.
struct EventMaker {
    let key = PseudonymKey(bytes: Array(repeating: 3, count: 32))

    func event(
        _ kind: EventKind, host: String = "mx1", subject: String = "alice@example.org", item: String = "cur/1"
    ) -> PrivacyEvent {
        PrivacyEvent(
            host: host, kind: kind, subjects: [key.pseudonym(for: subject)], dataCategory: "accounting-document",
            purpose: "bookkeeping", legalBasis: LegalBasis(.legalObligation, retentionLaw: "AO §147(1) Nr. 4"),
            location: DataLocation(store: "/srv/mail/anna/Maildir", item: item, messageID: "<1@x>"),
            keepUntil: CalendarDay(iso: "2027-12-31"), legalDuty: true)
    }
}

/// The ledger-stress helper, built beside the test binary.
let ledgerStressExecutable: URL = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("ledger-stress")
}()

/// A running ledger-stress process.
final class StressProcess {
    let process: RunningProcess

    init(_ arguments: [String], in dir: TemporaryDirectory) throws {
        process = try ChildProcess.start(ledgerStressExecutable.path, arguments, in: dir.url, mergingErrors: true)
    }

    /// Waits for the exit; returns the status and what it printed.
    func wait() -> (status: Int32, output: String) {
        let result = process.wait()
        return (result.status, result.stdout)
    }
}
