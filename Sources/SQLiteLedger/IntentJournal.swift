import Foundation
import GRDB
import PrivacyEvents

/// Changes privctl is about to make to one mail container, written down before it makes them.
public struct ErasureIntent: Sendable, Equatable {
    /// One planned change and the event that will record it.
    public struct Step: Sendable, Equatable {
        /// The event as planned (its id is the one the real event gets, so recording twice is
        /// recording once).
        public var event: PrivacyEvent
        /// SHA-256 of the message's stored bytes: how a later run sees whether the change
        /// happened.
        public var contentHash: String
        /// Whether the message was to leave the live store (erase, and block outside backups).
        public var leavesStore: Bool

        public init(event: PrivacyEvent, contentHash: String, leavesStore: Bool) {
            self.event = event
            self.contentHash = contentHash
            self.leavesStore = leavesStore
        }
    }

    public var id: String
    /// The container's path, its store and its format's name.
    public var container: String
    public var store: String
    public var format: String
    public var steps: [Step]

    public init(id: String = UUID().uuidString, container: String, store: String, format: String, steps: [Step]) {
        self.id = id
        self.container = container
        self.store = store
        self.format = format
        self.steps = steps
    }
}

/// The write-ahead journal of erasures: an erasure is never made without its record.
///
/// Before privctl changes a container it writes the planned events here (in the local database,
/// beside the scan index, flushed to disk); after the change it appends the real events to the
/// ledger and removes the entry. If the journal cannot be written (a full disk), nothing is
/// changed. If the ledger cannot be written after the change, or the run is killed, the entry
/// stays, and the next erasure run finds it, checks which changes happened, records those and
/// removes it: the record is completed, never invented.
public final class IntentJournal: Sendable {
    let database: LedgerDatabase

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// Writes an intent, flushed to disk before this returns.
    public func record(_ intent: ErasureIntent) throws(LedgerError) {
        let entries: [[String: Any]] = intent.steps.map { step in
            ["contentHash": step.contentHash, "leavesStore": step.leavesStore, "event": EventChain.payload(of: step.event)]
        }
        do {
            let plan = String(decoding: try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys]), as: UTF8.self)
            try database.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
                try db.inTransaction {
                    try db.execute(
                        sql: "INSERT INTO erasure_intent (id, created, container, store, format, plan) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [intent.id, EventChain.timestamp(Date()), intent.container, intent.store, intent.format, plan])
                    return .commit
                }
            }
        } catch {
            throw LedgerError("cannot write the erasure journal in \(database.url.path) (\(LedgerDatabase.describe(error))); nothing was changed")
        }
    }

    /// The intents of runs that did not finish, oldest first.
    public func pending() throws(LedgerError) -> [ErasureIntent] {
        do {
            return try database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, container, store, format, plan FROM erasure_intent ORDER BY created, id").map { row in
                    let plan: String = row["plan"]
                    return ErasureIntent(
                        id: row["id"], container: row["container"], store: row["store"], format: row["format"],
                        steps: try Self.steps(plan))
                }
            }
        } catch {
            throw LedgerError("cannot read the erasure journal in \(database.url.path): \(LedgerDatabase.describe(error))")
        }
    }

    /// Removes an intent whose events are on record.
    public func remove(_ id: String) throws(LedgerError) {
        do {
            try database.pool.write { db in try db.execute(sql: "DELETE FROM erasure_intent WHERE id = ?", arguments: [id]) }
        } catch {
            throw LedgerError("cannot update the erasure journal in \(database.url.path): \(LedgerDatabase.describe(error))")
        }
    }

    private static func steps(_ plan: String) throws -> [ErasureIntent.Step] {
        guard let array = try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]] else {
            throw LedgerError("an erasure journal entry is not readable")
        }
        return try array.map { entry in
            guard let hash = entry["contentHash"] as? String, let leaves = entry["leavesStore"] as? Bool,
                let payload = entry["event"] as? String
            else { throw LedgerError("an erasure journal entry is not readable") }
            return ErasureIntent.Step(event: try EventChain.event(fromPayload: payload), contentHash: hash, leavesStore: leaves)
        }
    }
}
