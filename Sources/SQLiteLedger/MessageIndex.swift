import Foundation
import GRDB
import PrivacyEvents

/// What privctl has seen of one message: enough to skip parsing it again and to know whether its
/// retain event is still current.
public struct IndexedMessage: Hashable, Sendable {
    /// The message's stable identity (see `MessageIdentity` in MailStores).
    public var key: String
    /// The Maildir folder or mbox file that holds it.
    public var container: String
    /// Its current name in the container (file name, or `#N`).
    public var item: String
    /// Its size in bytes.
    public var size: Int
    /// SHA-256 of its bytes, where the store needed it for identity (mbox).
    public var contentHash: String?
    /// Fingerprint of the policy that classified it.
    public var policy: String
    public var category: String
    public var rule: String
    public var messageDay: CalendarDay
    public var retainUntil: CalendarDay?
    public var expiresOn: CalendarDay?
    /// The Message-ID as the caller stores it: privctl seals it with the pseudonym key
    /// (``PseudonymKey/seal(_:)``), so that the database beside the ledger holds none in plain
    /// text.
    public var messageID: String?
    public var subjects: PseudonymList

    public init(
        key: String, container: String, item: String, size: Int, contentHash: String?, policy: String,
        category: String, rule: String, messageDay: CalendarDay,
        retainUntil: CalendarDay?, expiresOn: CalendarDay?, messageID: String?, subjects: PseudonymList
    ) {
        self.key = key
        self.container = container
        self.item = item
        self.size = size
        self.contentHash = contentHash
        self.policy = policy
        self.category = category
        self.rule = rule
        self.messageDay = messageDay
        self.retainUntil = retainUntil
        self.expiresOn = expiresOn
        self.messageID = messageID
        self.subjects = subjects
    }
}

/// The scan index: a local table of messages already classified, so a nightly run over an
/// unchanged store parses nothing and records nothing.
///
/// An unchanged folder costs one query for its rows (``rows(in:limit:)``) and no write. To
/// find messages that disappeared, a run remembers what it saw per container and compares
/// counts at the end; only when a container has fewer messages than rows are its keys read
/// back (``forEachKey(in:_:)``).
public final class MessageIndex: Sendable {
    /// The database holding the index (and the erasure journal beside it).
    public let database: LedgerDatabase

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// The rows for these keys.
    public func lookup(_ keys: [String]) throws -> [String: IndexedMessage] {
        guard !keys.isEmpty else { return [:] }
        let columns = Self.columns
        return try database.pool.read { db in
            var found: [String: IndexedMessage] = [:]
            // SQLite limits bound parameters; 500 per query stays far below it.
            var start = 0
            while start < keys.count {
                let chunk = keys[start..<min(start + 500, keys.count)]
                let sql = "SELECT \(columns) FROM message_index WHERE key IN ("
                    + chunk.map { _ in "?" }.joined(separator: ",") + ")"
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(Array(chunk)))
                while let row = try rows.next() {
                    let message = Self.message(from: row)
                    found[message.key] = message
                }
                start += 500
            }
            return found
        }
    }

    /// Every row of a container, by key, read in one query: what a run over an unchanged
    /// folder needs, instead of a lookup per message. Nil when the container has more than
    /// `limit` rows: the caller then looks them up by key, batch by batch, and memory stays
    /// bounded however large a folder is.
    public func rows(in container: String, limit: Int) throws -> [String: IndexedMessage]? {
        let columns = Self.columns
        return try database.pool.read { db in
            let count = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM message_index WHERE container = ?", arguments: [container]) ?? 0
            guard count <= limit else { return nil }
            var found: [String: IndexedMessage] = [:]
            found.reserveCapacity(count)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(columns) FROM message_index WHERE container = ?", arguments: [container])
            while let row = try rows.next() {
                let message = Self.message(from: row)
                found[message.key] = message
            }
            return found
        }
    }

    /// Stores or replaces rows, and renames items (a Maildir file whose flags changed) of rows
    /// that are otherwise unchanged.
    public func record(_ messages: [IndexedMessage], renamed: [(key: String, item: String)] = []) throws {
        guard !messages.isEmpty || !renamed.isEmpty else { return }
        try database.pool.write { db in
            let upsert = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO message_index
                (key, container, item, size, content_hash, policy, category, rule,
                 message_day, retain_until, expires_on, message_id, subjects)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for m in messages {
                try upsert.execute(arguments: [
                    m.key, m.container, m.item, m.size, m.contentHash, m.policy, m.category, m.rule,
                    m.messageDay.description, m.retainUntil?.description,
                    m.expiresOn?.description, m.messageID, m.subjects.packed,
                ])
            }
            let rename = try db.makeStatement(sql: "UPDATE message_index SET item = ? WHERE key = ?")
            for entry in renamed { try rename.execute(arguments: [entry.item, entry.key]) }
        }
    }

    /// Number of rows of a container.
    public func count(in container: String) throws -> Int {
        try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index WHERE container = ?", arguments: [container]) ?? 0
        }
    }

    /// Every container with rows, in path order.
    public func containers() throws -> [String] {
        try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT container FROM message_index ORDER BY container")
        }
    }

    /// Calls `body` with every key of a container.
    public func forEachKey(in container: String, _ body: (String) throws -> Void) throws {
        try database.pool.read { db in
            let keys = try String.fetchCursor(db, sql: "SELECT key FROM message_index WHERE container = ?", arguments: [container])
            while let key = try keys.next() { try body(key) }
        }
    }

    /// Removes rows (messages that disappeared).
    public func remove(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try database.pool.write { db in
            let delete = try db.makeStatement(sql: "DELETE FROM message_index WHERE key = ?")
            for key in keys { try delete.execute(arguments: [key]) }
        }
    }

    /// The columns ``message(from:)`` reads, in its order.
    static let columns = "key, container, item, size, content_hash, policy, category, rule, "
        + "message_day, retain_until, expires_on, message_id, subjects"

    /// Number of indexed messages.
    public func count() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index") ?? 0 }
    }

    /// A row of the columns in ``columns`` order, read by position (by name costs a lookup
    /// per column per message).
    private static func message(from row: Row) -> IndexedMessage {
        IndexedMessage(
            key: row[0], container: row[1], item: row[2], size: row[3], contentHash: row[4], policy: row[5],
            category: row[6], rule: row[7],
            messageDay: CalendarDay(iso: row[8]) ?? CalendarDay(daysSinceEpoch: 0),
            retainUntil: (row[9] as String?).flatMap(CalendarDay.init(iso:)),
            expiresOn: (row[10] as String?).flatMap(CalendarDay.init(iso:)),
            messageID: row[11], subjects: PseudonymList(packed: row[12]))
    }
}
