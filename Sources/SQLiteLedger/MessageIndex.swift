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
    /// The classifier's explanation lines, newline-separated.
    public var explanation: String
    public var messageDay: CalendarDay
    public var retainUntil: CalendarDay?
    public var expiresOn: CalendarDay?
    public var messageID: String?
    public var subjects: [Pseudonym]

    public init(
        key: String, container: String, item: String, size: Int, contentHash: String?, policy: String,
        category: String, rule: String, explanation: String, messageDay: CalendarDay,
        retainUntil: CalendarDay?, expiresOn: CalendarDay?, messageID: String?, subjects: [Pseudonym]
    ) {
        self.key = key
        self.container = container
        self.item = item
        self.size = size
        self.contentHash = contentHash
        self.policy = policy
        self.category = category
        self.rule = rule
        self.explanation = explanation
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
/// Each run gets a number; every message seen is stamped with it, and at the end of a container's
/// scan the rows not stamped are the messages that disappeared since the last run.
public final class MessageIndex: Sendable {
    let database: LedgerDatabase

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// Starts a run and returns its number.
    public func beginRun() throws -> Int64 {
        try database.pool.write { db in
            let last = try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'last_run'")
            let run = (last.flatMap { Int64($0) } ?? 0) + 1
            try db.execute(
                sql: "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES ('last_run', ?)", arguments: ["\(run)"])
            return run
        }
    }

    /// The rows for these keys.
    public func lookup(_ keys: [String]) throws -> [String: IndexedMessage] {
        guard !keys.isEmpty else { return [:] }
        return try database.pool.read { db in
            var found: [String: IndexedMessage] = [:]
            // SQLite limits bound parameters; 500 per query stays far below it.
            var start = 0
            while start < keys.count {
                let chunk = keys[start..<min(start + 500, keys.count)]
                let sql = "SELECT * FROM message_index WHERE key IN (" + chunk.map { _ in "?" }.joined(separator: ",") + ")"
                for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(Array(chunk))) {
                    let message = Self.message(from: row)
                    found[message.key] = message
                }
                start += 500
            }
            return found
        }
    }

    /// Stores or replaces rows, stamping them as seen in `run`; stamps `seenKeys` (rows that are
    /// unchanged) too.
    public func record(_ messages: [IndexedMessage], seen seenKeys: [(key: String, item: String)], run: Int64) throws {
        try database.pool.write { db in
            let upsert = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO message_index
                (key, container, item, size, content_hash, policy, category, rule, explanation,
                 message_day, retain_until, expires_on, message_id, subjects, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for m in messages {
                try upsert.execute(arguments: [
                    m.key, m.container, m.item, m.size, m.contentHash, m.policy, m.category, m.rule,
                    m.explanation, m.messageDay.description, m.retainUntil?.description,
                    m.expiresOn?.description, m.messageID, m.subjects.map(\.rawValue).joined(separator: " "), run,
                ])
            }
            let touch = try db.makeStatement(sql: "UPDATE message_index SET last_seen = ?, item = ? WHERE key = ?")
            for seen in seenKeys { try touch.execute(arguments: [run, seen.item, seen.key]) }
        }
    }

    /// Removes and returns the rows of `container` not seen in `run`: messages that disappeared.
    public func removeUnseen(container: String, run: Int64) throws -> [IndexedMessage] {
        try database.pool.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM message_index WHERE container = ? AND last_seen < ?", arguments: [container, run])
            try db.execute(
                sql: "DELETE FROM message_index WHERE container = ? AND last_seen < ?", arguments: [container, run])
            return rows.map(Self.message(from:))
        }
    }

    /// Number of indexed messages.
    public func count() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index") ?? 0 }
    }

    private static func message(from row: Row) -> IndexedMessage {
        let subjects: String = row["subjects"]
        return IndexedMessage(
            key: row["key"], container: row["container"], item: row["item"], size: row["size"],
            contentHash: row["content_hash"], policy: row["policy"], category: row["category"], rule: row["rule"],
            explanation: row["explanation"],
            messageDay: CalendarDay(iso: row["message_day"]) ?? CalendarDay(daysSinceEpoch: 0),
            retainUntil: (row["retain_until"] as String?).flatMap(CalendarDay.init(iso:)),
            expiresOn: (row["expires_on"] as String?).flatMap(CalendarDay.init(iso:)),
            messageID: row["message_id"],
            subjects: subjects.split(separator: " ").map { Pseudonym(rawValue: String($0)) })
    }
}
