import Foundation
import GRDB
import PrivacyEvents

/// A local SQLite file holding events that could not reach the fleet ledger yet, in the order
/// they were recorded.
///
/// Each row is an event's id and canonical JSON payload (the same bytes the ledger's hash will
/// cover). Rows leave the spool only after the fleet ledger has them; an event spooled twice
/// (same id) is kept once.
public final class EventSpool: Sendable {
    private let queue: DatabaseQueue
    /// Where the spool file is.
    public let url: URL

    /// Opens (creating if needed) the spool at `url`.
    public init(url: URL) throws(LedgerError) {
        self.url = url
        try PrivateDatabaseFile.prepare(url, label: "spool")
        do {
            var config = Configuration()
            config.busyMode = .timeout(30)
            config.label = "privctl-spool"
            queue = try DatabaseQueue(path: url.path, configuration: config)
            // FULL: a spooled event is the only copy there is until it is delivered.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try Self.migrator.migrate(queue)
        } catch {
            throw LedgerError("cannot open the spool \(url.path): \(LedgerDatabase.describe(error))")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: spooled events") { db in
            try db.execute(sql: """
                CREATE TABLE spool (
                    position INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    payload TEXT NOT NULL,
                    spooled_at TEXT NOT NULL
                )
                """)
        }
        return migrator
    }

    /// Adds events after those already spooled, in one transaction.
    public func add(_ events: [PrivacyEvent]) throws {
        guard !events.isEmpty else { return }
        let now = EventChain.timestamp(Date())
        do {
            try queue.write { db in
                let insert = try db.makeStatement(
                    sql: "INSERT OR IGNORE INTO spool (id, payload, spooled_at) VALUES (?, ?, ?)")
                for event in events {
                    try insert.execute(arguments: [event.id.rawValue, EventChain.payload(of: event), now])
                }
            }
        } catch {
            throw LedgerError("cannot write to the spool \(url.path): \(LedgerDatabase.describe(error))")
        }
    }

    /// The oldest `limit` spooled events, with their positions.
    public func oldest(_ limit: Int) throws -> [(position: Int64, event: PrivacyEvent)] {
        do {
            let rows = try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT position, payload FROM spool ORDER BY position LIMIT ?", arguments: [limit])
            }
            return try rows.map { row in (row["position"], try EventChain.event(fromPayload: row["payload"])) }
        } catch {
            throw LedgerError("cannot read the spool \(url.path): \(LedgerDatabase.describe(error))")
        }
    }

    /// Removes delivered events.
    public func remove(positions: [Int64]) throws {
        guard !positions.isEmpty else { return }
        do {
            try queue.write { db in
                let delete = try db.makeStatement(sql: "DELETE FROM spool WHERE position = ?")
                for position in positions { try delete.execute(arguments: [position]) }
            }
        } catch {
            throw LedgerError("cannot write to the spool \(url.path): \(LedgerDatabase.describe(error))")
        }
    }

    /// Number of events waiting.
    public func count() throws -> Int {
        do {
            return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM spool") ?? 0 }
        } catch {
            throw LedgerError("cannot read the spool \(url.path): \(LedgerDatabase.describe(error))")
        }
    }
}
