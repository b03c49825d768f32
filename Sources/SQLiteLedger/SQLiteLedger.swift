import Dispatch
import Foundation
import GRDB
import Synchronization
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
        try append(encoded: events.map(EncodedEvent.init))
    }

    @discardableResult
    public func append(encoded events: [EncodedEvent]) throws -> [ChainedEvent] {
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
                    for encoded in events {
                        let event = encoded.event
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
                        let link = EventChain.link(encoded, after: head)
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
        try verify(segmentMinimum: Self.segmentMinimum)
    }

    /// ``verify()`` with chains cut into segments of at least `segmentMinimum` events.
    func verify(segmentMinimum: Int64) throws -> LedgerVerification {
        // Each host's chain, cut into segments that are read and checked at once on every core
        // (``ChainVerifier/absorb(_:)`` checks the links between them). The bounds come from
        // one read; events are never changed, and later ones lie beyond them.
        let chains = try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT host, min(sequence), max(sequence) FROM event GROUP BY host ORDER BY host")
                .map { (host: $0[0] as String, low: $0[1] as Int64, high: $0[2] as Int64) }
        }
        var segments: [(host: String, low: Int64, high: Int64, first: Bool)] = []
        for chain in chains {
            let pieces = max(1, min(Int64(Self.verifyThreads), (chain.high - chain.low + 1) / segmentMinimum))
            let length = (chain.high - chain.low + 1 + pieces - 1) / pieces
            for part in 0..<pieces {
                let low = chain.low + part * length
                segments.append((chain.host, low, min(chain.high, low + length - 1), part == 0))
            }
        }
        let parts = segments
        // First the chains with the subject index compared as a whole (``SubjectDigest``): the
        // payloads' (event, subject) pairs against the index's rows, read in one pass beside
        // the segments. Only when they differ is the index checked event by event, to say where.
        let index = IndexDigest()
        DispatchQueue.global().async(group: index.group) { index.set(Result { try self.subjectIndexDigest() }) }
        var fast = try ChainVerifier.joining(parts.count) { try self.verify(segment: parts[$0], subjectsBy: .digest).0 }
        index.group.wait()
        if try index.get() == fast.payloadSubjects { return fast.result }
        let reached = Mutex(0)  // rows of the subject index read beside the events
        var verifier = try ChainVerifier.joining(parts.count) { n in
            let (part, subjects) = try self.verify(segment: parts[n], subjectsBy: .event)
            reached.withLock { $0 += subjects }
            return part
        }
        try database.pool.read { db in
            // Rows of the subject index that name no event: none when every row was reached
            // through an event (a row is unique per subject and event). Only when the counts
            // differ is the index searched for them, a lookup per row. (A row removed and
            // another added keep the count, but the event that lost its row disagrees with
            // its index above.)
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM event_subject") ?? 0
            guard rows != reached.withLock({ $0 }) else { return }
            let orphans = try String.fetchCursor(db, sql: """
                SELECT DISTINCT s.event_id FROM event_subject s
                WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.id = s.event_id) ORDER BY 1
                """)
            while let orphan = try orphans.next() {
                verifier.report("subject index names event \(orphan), which is not in the ledger")
            }
        }
        return verifier.result
    }

    /// How ``verify(segment:subjectsBy:)`` checks the subject index.
    private enum SubjectCheck {
        /// Each event's rows beside it (a lookup per event).
        case event
        /// The payloads' pairs summed, for comparison with ``subjectIndexDigest()``.
        case digest
    }

    /// The subject index's (event, subject) pairs as a ``SubjectDigest``, in one pass over it.
    private func subjectIndexDigest() throws -> SubjectDigest {
        try database.pool.read { db in
            var digest = SubjectDigest()
            let rows = try Row.fetchCursor(db, sql: "SELECT event_id, subject FROM event_subject")
            while let row = try rows.next() {
                let event: String = row[0], subject: String = row[1]
                digest.add(event: event, subject: subject)
            }
            return digest
        }
    }

    /// The index's digest, made on a thread of its own while the chains are read.
    private final class IndexDigest: @unchecked Sendable {
        let group = DispatchGroup()
        private let lock = NSLock()
        private var result: Result<SubjectDigest, any Error> = .success(SubjectDigest())

        func set(_ value: Result<SubjectDigest, any Error>) { lock.withLock { result = value } }
        func get() throws -> SubjectDigest { try lock.withLock { result }.get() }
    }

    /// Segments of a chain are this long at least: shorter chains are read in one.
    static let segmentMinimum: Int64 = 50_000
    /// Segments of one chain read at once.
    static let verifyThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Checks the events of one host from `low` to `high` (sequences), in chain order; returns
    /// the verdict and the number of subject-index rows read beside them (none for `.digest`).
    private func verify(
        segment: (host: String, low: Int64, high: Int64, first: Bool), subjectsBy check: SubjectCheck
    ) throws -> (ChainVerifier, Int) {
        try database.pool.read { db in
            // The subject index is read beside the events, a page here and there: a larger
            // page cache keeps its upper levels in memory (32 MiB for this read; restored after).
            // (Reading the file through a mapping, `mmap_size`, saved a further second at
            // 1,000,000 events, but the mapped ledger then counts in the resident size: 2.4 GB.)
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -32768")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            var verifier = segment.first ? ChainVerifier() : ChainVerifier(segmentOf: [segment.host])
            // For `.event`, each event's subjects come with it (index event_subject_event):
            // memory stays flat however many events there are.
            let subjectsColumn = check == .digest ? "NULL"
                : "(SELECT group_concat(s.subject, ' ') FROM event_subject s WHERE s.event_id = event.id)"
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, host, sequence, time, kind, payload, previous_hash, hash, \(subjectsColumn) AS subjects
                    FROM event WHERE host = ? AND sequence BETWEEN ? AND ? ORDER BY sequence
                    """,
                arguments: [segment.host, segment.low, segment.high])
            // Columns by position: a lookup by name per value costs more than the check.
            var subjects = 0
            while let row = try rows.next() {
                if check == .digest {
                    verifier.check(
                        id: row[0], host: row[1], sequence: row[2], kind: row[4], time: row[3], payload: row[5],
                        previousHash: row[6], hash: row[7], summingSubjects: ())
                    continue
                }
                let joined: String? = row[8]
                if let joined, !joined.isEmpty { subjects += 1 + joined.utf8.count(where: { $0 == UInt8(ascii: " ") }) }
                verifier.check(
                    id: row[0], host: row[1], sequence: row[2], kind: row[4], time: row[3], payload: row[5],
                    previousHash: row[6], hash: row[7], indexedSubjectsJoined: joined)
            }
            return (verifier, subjects)
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
