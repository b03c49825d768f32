import Foundation
import GRDB
import PrivacyEvents

/// The embedded ledger: events in a SQLite file, one hash chain per host.
///
/// Appends run in `BEGIN IMMEDIATE` transactions, so several processes on one machine may append
/// at once: each waits for the write lock, reads its chain's head and links after it. Triggers
/// reject UPDATE and DELETE on the event tables.
public final class SQLiteLedger: Ledger {
    /// The database the ledger lives in.
    public let database: LedgerDatabase

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// Opens the ledger file at `url` (created on first use).
    public convenience init(url: URL) throws(LedgerError) {
        self.init(database: try LedgerDatabase(url: url))
    }

    @discardableResult
    public func append(_ events: [PrivacyEvent]) throws -> [ChainedEvent] {
        guard !events.isEmpty else { return [] }
        do {
            return try database.pool.writeWithoutTransaction { db in
                var written: [ChainedEvent] = []
                try db.inTransaction(.immediate) {
                    var heads: [String: (sequence: Int64, hash: String)] = [:]
                    let exists = try db.makeStatement(sql: "SELECT 1 FROM event WHERE id = ?")
                    let insert = try db.makeStatement(sql: """
                        INSERT INTO event (id, host, sequence, time, kind, category, payload, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    let insertSubject = try db.makeStatement(
                        sql: "INSERT OR IGNORE INTO event_subject (subject, event_id) VALUES (?, ?)")
                    for event in events {
                        if try Bool.fetchOne(exists, arguments: [event.id.rawValue]) == true { continue }
                        let head: (sequence: Int64, hash: String)?
                        if let known = heads[event.host] {
                            head = known
                        } else if let row = try Row.fetchOne(
                            db, sql: "SELECT sequence, hash FROM event WHERE host = ? ORDER BY sequence DESC LIMIT 1",
                            arguments: [event.host])
                        {
                            head = (row["sequence"], row["hash"])
                        } else {
                            head = nil
                        }
                        let link = EventChain.link(event, after: head)
                        try insert.execute(arguments: [
                            event.id.rawValue, event.host, link.sequence, EventChain.timestamp(event.time),
                            event.kind.rawValue, event.dataCategory, link.payload, link.previousHash, link.hash,
                        ])
                        for subject in event.subjects {
                            try insertSubject.execute(arguments: [subject.rawValue, event.id.rawValue])
                        }
                        heads[event.host] = (link.sequence, link.hash)
                        written.append(link)
                    }
                    return .commit
                }
                return written
            }
        } catch {
            throw LedgerError("cannot append to the ledger \(database.url.path): \(LedgerDatabase.describe(error))")
        }
    }

    public func forEachEvent(matching filter: EventFilter, _ body: (ChainedEvent) throws -> Void) throws {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let kinds = filter.kinds, !kinds.isEmpty {
            clauses.append("kind IN (" + kinds.map { _ in "?" }.joined(separator: ",") + ")")
            arguments += kinds.map(\.rawValue).sorted()
        }
        if let subject = filter.subject {
            clauses.append("id IN (SELECT event_id FROM event_subject WHERE subject = ?)")
            arguments.append(subject.rawValue)
        }
        if let category = filter.category {
            clauses.append("category = ?")
            arguments.append(category)
        }
        if let host = filter.host {
            clauses.append("host = ?")
            arguments.append(host)
        }
        if let since = filter.since {
            clauses.append("time >= ?")
            arguments.append(EventChain.timestamp(since))
        }
        if let until = filter.until {
            clauses.append("time < ?")
            arguments.append(EventChain.timestamp(until))
        }
        var sql = "SELECT sequence, payload, previous_hash, hash FROM event"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY host, sequence"
        if let limit = filter.limit { sql += " LIMIT \(limit)" }
        try database.pool.read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let payload: String = row["payload"]
                try body(ChainedEvent(
                    sequence: row["sequence"], event: try EventChain.event(fromPayload: payload),
                    payload: payload, previousHash: row["previous_hash"], hash: row["hash"]))
            }
        }
    }

    public func verify() throws -> LedgerVerification {
        try database.pool.read { db in
            var verifier = ChainVerifier()
            // Each event's subjects come with it (index event_subject_event): memory stays flat
            // however many events there are.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, host, sequence, time, kind, payload, previous_hash, hash,
                       (SELECT group_concat(s.subject, ' ') FROM event_subject s WHERE s.event_id = event.id) AS subjects
                FROM event ORDER BY host, sequence
                """)
            while let row = try rows.next() {
                let subjects: String? = row["subjects"]
                verifier.check(
                    id: row["id"], host: row["host"], sequence: row["sequence"], kind: row["kind"],
                    time: row["time"], payload: row["payload"], previousHash: row["previous_hash"], hash: row["hash"],
                    indexedSubjects: Set((subjects ?? "").split(separator: " ").map(String.init)))
            }
            let orphans = try String.fetchCursor(db, sql: """
                SELECT DISTINCT s.event_id FROM event_subject s
                WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.id = s.event_id) ORDER BY 1
                """)
            while let orphan = try orphans.next() {
                verifier.report("subject index names event \(orphan), which is not in the ledger")
            }
            return verifier.result
        }
    }

    public func hosts() throws -> [String] {
        try database.pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT host FROM event ORDER BY host") }
    }

    /// Number of events recorded.
    public func count() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0 }
    }
}
