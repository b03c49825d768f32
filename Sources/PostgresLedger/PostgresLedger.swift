import Foundation
import PrivacyEvents

/// The fleet ledger: every host's events in one PostgreSQL database, one hash chain per host.
///
/// ## How the chains stay verifiable under concurrent appends
///
/// Each host appends only to its own chain (``PrivacyEvent/host``), and appends to one chain are
/// serialised by the database: an append runs in one transaction that first takes
/// `pg_advisory_xact_lock(<privctl>, hashtext(host))` for each host in the batch (sorted, so two
/// batches never wait for each other in a circle), then reads that chain's head, links the new
/// events after it and inserts them; COMMIT releases the lock. Two writers of the same host (a
/// classify and a cron `expire` on one server) therefore queue for a moment; writers of
/// different hosts never wait for each other.
///
/// Why one chain per host rather than one chain for the fleet: a single chain needs a single
/// head, so every append of every host would queue on one lock, and a host that is offline and
/// spooling could not keep its events' order relative to the others anyway. Per-host chains let
/// 100 hosts append in parallel, keep each host's history in the order it happened there, and
/// are what the SQLite ledger already does, so a host's SQLite chain moves into the fleet ledger
/// unchanged (``LedgerMigration``). What per-host chains alone do not prove is that a whole
/// chain's tail was not cut off; ``LedgerVerification/heads`` are the answer: publish or anchor
/// them regularly (the fleet's heads are one small record).
///
/// ## Exactly once
///
/// Event ids are made by the writer (UUIDv7). Under the host's lock, ids already recorded are
/// skipped, and the insert is `ON CONFLICT (id) DO NOTHING`: a batch retried after a lost
/// connection, where COMMIT may or may not have happened, records nothing twice. If the insert
/// ever skips a row that the check did not see, the transaction is rolled back rather than
/// leaving a gap in the chain.
///
/// ## Append-only
///
/// Triggers reject UPDATE, DELETE and TRUNCATE on the event tables, and a host role holds INSERT
/// and SELECT only (``hostRoleSQL(role:host:)``). ``verify()`` recomputes every chain with the
/// shared ``ChainVerifier`` and so detects a row that the database owner, who can disable the
/// triggers, changed or removed.
///
/// ## Synchronous API
///
/// ``Ledger`` is synchronous; this type runs its statements through libpq on the calling thread
/// (see `PostgresConnector`), each bounded by ``PostgresURL/queryTimeout``.
///
/// Opening does not connect: the first call does (and migrates the schema), so a host whose
/// server is unreachable learns it from a ``LedgerUnavailableError`` when it appends, which a
/// spooling ledger answers by keeping the events locally. Call ``connect()`` to fail early.
public final class PostgresLedger: Ledger {
    /// Where the ledger is.
    public let url: PostgresURL
    let connector: PostgresConnector

    /// Rows per round trip when reading.
    private let fetchSize = 2000

    /// A ledger at `url`; nothing is connected yet.
    public init(url: PostgresURL) throws(LedgerError) {
        self.url = url
        connector = PostgresConnector(url: url) { connection in try PostgresSchema.migrate(connection) }
    }

    /// A ledger at a `postgres://` URL string.
    public convenience init(url text: String) throws {
        try self.init(url: PostgresURL(parsing: text))
    }

    /// Connects now (and migrates the schema if needed), to report an unreachable or unusable
    /// server before any work starts.
    public func connect() throws {
        try connector.withConnection { _ in }
    }

    /// Closes the connections. Later calls fail.
    public func close() {
        connector.close()
    }

    // MARK: Appending

    @discardableResult
    public func append(_ events: [PrivacyEvent]) throws -> [ChainedEvent] {
        try append(encoded: events.map(EncodedEvent.init))
    }

    @discardableResult
    public func append(encoded events: [EncodedEvent]) throws -> [ChainedEvent] {
        guard !events.isEmpty else { return [] }
        return try connector.inTransaction { connection in
            let hosts = try lockChains(of: events.map(\.event.host), on: connection)
            var recorded = Set(try recordedRows(ids: events.map(\.event.id.rawValue), on: connection).keys)
            var heads = try chainHeads(hosts, on: connection)
            var written: [ChainedEvent] = []
            for encoded in events where !recorded.contains(encoded.event.id.rawValue) {
                let event = encoded.event
                recorded.insert(event.id.rawValue)
                let link = EventChain.link(encoded, after: heads[event.host])
                heads[event.host] = (link.sequence, link.hash)
                written.append(link)
            }
            try insert(written, on: connection)
            return written
        }
    }

    /// Appends events exactly as another ledger chained them (same sequence, previous hash, hash
    /// and payload): the ``LedgerMigration`` copy. Events already recorded must be the same
    /// links; the rest must continue their host's chain here. Returns how many were new.
    func appendVerbatim(_ chained: [ChainedEvent]) throws -> Int {
        guard !chained.isEmpty else { return 0 }
        return try connector.inTransaction { connection in
            let hosts = try lockChains(of: chained.map(\.event.host), on: connection)
            let recorded = try recordedRows(ids: chained.map(\.event.id.rawValue), on: connection)
            var heads = try chainHeads(hosts, on: connection)
            var fresh: [ChainedEvent] = []
            var seen = Set<String>()
            for link in chained {
                let id = link.event.id.rawValue
                guard seen.insert(id).inserted else { continue }
                if let row = recorded[id] {
                    guard row.host == link.event.host, row.sequence == link.sequence, row.hash == link.hash else {
                        throw LedgerError(
                            "ledger \(url): event \(id) is already recorded at host \(row.host) sequence \(row.sequence) with another hash; the two ledgers disagree")
                    }
                    continue
                }
                let host = link.event.host
                let head = heads[host]
                guard link.sequence == (head?.sequence ?? 0) + 1, link.previousHash == (head?.hash ?? EventChain.genesis) else {
                    throw LedgerError(
                        "ledger \(url): host \(host) already has \(head?.sequence ?? 0) events here that do not lead to event \(id) (sequence \(link.sequence)); migrate a host's ledger before it appends to the fleet ledger")
                }
                guard EventChain.hash(previousHash: link.previousHash, payload: link.payload) == link.hash else {
                    throw LedgerError("event \(id) (host \(host), sequence \(link.sequence)) does not match its hash; verify the source ledger")
                }
                heads[host] = (link.sequence, link.hash)
                fresh.append(link)
            }
            try insert(fresh, on: connection)
            return fresh.count
        }
    }

    /// Host, sequence and hash of the events among `ids` that are recorded.
    func recorded(ids: [String]) throws -> [String: (host: String, sequence: Int64, hash: String)] {
        try connector.withConnection { connection in try recordedRows(ids: ids, on: connection) }
    }

    /// Takes the advisory lock of each host's chain, in sorted order; returns the hosts.
    private func lockChains(of hosts: [String], on connection: PostgresConnection) throws -> [String] {
        let sorted = Set(hosts).sorted()
        for host in sorted {
            try connection.run("SELECT pg_advisory_xact_lock($1::int4, hashtext($2))", ["\(PostgresSchema.lockSpace)", host])
        }
        return sorted
    }

    /// Host, sequence and hash of the events among `ids` that are recorded.
    private func recordedRows(ids: [String], on connection: PostgresConnection) throws
        -> [String: (host: String, sequence: Int64, hash: String)]
    {
        var rows: [String: (host: String, sequence: Int64, hash: String)] = [:]
        let result = try connection.run(
            "SELECT id, host, sequence, hash FROM event WHERE id = ANY($1::text[])", [PostgresText.array(ids)])
        for row in result {
            rows[try row.text(0)] = (try row.text(1), try row.int64(2), try row.text(3))
        }
        return rows
    }

    /// The last (sequence, hash) of each host's chain; read after its lock is held.
    private func chainHeads(_ hosts: [String], on connection: PostgresConnection) throws -> [String: (sequence: Int64, hash: String)] {
        var heads: [String: (sequence: Int64, hash: String)] = [:]
        for host in hosts {
            let result = try connection.run("SELECT sequence, hash FROM event WHERE host = $1 ORDER BY sequence DESC LIMIT 1", [host])
            if let row = result.first {
                heads[host] = (try row.int64(0), try row.text(1))
            }
        }
        return heads
    }

    /// Inserts linked events and their subject rows: one statement each, whatever the batch size.
    private func insert(_ links: [ChainedEvent], on connection: PostgresConnection) throws {
        guard !links.isEmpty else { return }
        let result = try connection.run("""
            INSERT INTO event (id, host, sequence, time, kind, category, payload, previous_hash, hash)
            SELECT t.id, t.host, t.sequence, t.time::timestamptz, t.kind, t.category, t.payload, t.previous_hash, t.hash
            FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                AS t(id, host, sequence, time, kind, category, payload, previous_hash, hash)
            ON CONFLICT (id) DO NOTHING
            """, [
                PostgresText.array(links.map(\.event.id.rawValue)), PostgresText.array(links.map(\.event.host)),
                PostgresText.array(links.map(\.sequence)), PostgresText.array(links.map { EventChain.timestamp($0.event.time) }),
                PostgresText.array(links.map(\.event.kind.rawValue)), PostgresText.array(links.map(\.event.dataCategory)),
                PostgresText.array(links.map(\.payload)), PostgresText.array(links.map(\.previousHash)),
                PostgresText.array(links.map(\.hash)),
            ])
        guard result.affected == links.count else {
            throw LedgerError(
                "ledger \(url): another writer recorded some of these events at the same moment; nothing was appended, append again")
        }
        var subjectIDs: [String] = []
        var subjects: [String] = []
        for link in links {
            for subject in link.event.subjects {
                subjectIDs.append(link.event.id.rawValue)
                subjects.append(subject.rawValue)
            }
        }
        if !subjects.isEmpty {
            try connection.run("""
                INSERT INTO event_subject (subject, event_id)
                SELECT * FROM unnest($1::text[], $2::text[])
                ON CONFLICT DO NOTHING
                """, [PostgresText.array(subjects), PostgresText.array(subjectIDs)])
        }
    }

    // MARK: Reading

    /// The `time` column as ``EventChain/timestamp(_:)`` writes it.
    private static let timeText = #"to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#

    public func forEachEvent(matching filter: EventFilter, _ body: (ChainedEvent) throws -> Void) throws {
        var sql = "SELECT e.sequence, e.payload, e.previous_hash, e.hash FROM event e"
        var parameters: [String?] = []
        var clauses: [String] = []
        func bind(_ value: String) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        if let kinds = filter.kinds, !kinds.isEmpty {
            clauses.append("e.kind = ANY(\(bind(PostgresText.array(kinds.map(\.rawValue).sorted())))::text[])")
        }
        if let subject = filter.subject {
            clauses.append("e.id IN (SELECT s.event_id FROM event_subject s WHERE s.subject = \(bind(subject.rawValue)))")
        }
        if let category = filter.category { clauses.append("e.category = \(bind(category))") }
        if let host = filter.host { clauses.append("e.host = \(bind(host))") }
        // Compared at millisecond precision, as the SQLite ledger compares its timestamps.
        if let since = filter.since { clauses.append("e.time >= \(bind(EventChain.timestamp(since)))::timestamptz") }
        if let until = filter.until { clauses.append("e.time < \(bind(EventChain.timestamp(until)))::timestamptz") }
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY e.host, e.sequence"
        if let limit = filter.limit { sql += " LIMIT \(bind(String(max(0, limit))))::int8" }

        try withCursor(sql, parameters) { row in
            let (sequence, payload, previousHash, hash) = (try row.int64(0), try row.text(1), try row.text(2), try row.text(3))
            try body(ChainedEvent(
                sequence: sequence, event: try EventChain.event(fromPayload: payload),
                payload: payload, previousHash: previousHash, hash: hash))
        }
    }

    public func verify() throws -> LedgerVerification {
        try verify(hosts: nil)
    }

    /// Verifies the chains of `hosts` only (all when nil): each host's chain in a snapshot of
    /// its own, on a connection of its own, several at once (events are never changed, and
    /// later ones come after each chain's end). Problems come in host order, as from one query.
    public func verify(hosts: Set<String>?) throws -> LedgerVerification {
        let chains = try hosts?.sorted() ?? connector.withConnection { connection in
            try connection.run("SELECT DISTINCT host FROM event ORDER BY host").map { try $0.text(0) }
        }
        var verifier = try ChainVerifier.joining(chains.count) { try self.verify(host: chains[$0]) }
        if hosts == nil {
            try connector.withConnection { connection in
                let orphans = try connection.run("""
                    SELECT DISTINCT s.event_id FROM event_subject s
                    WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.id = s.event_id) ORDER BY 1
                    """)
                for row in orphans {
                    verifier.report("subject index names event \(try row.text(0)), which is not in the ledger")
                }
            }
        }
        return verifier.result
    }

    /// Checks one host's chain, in chain order.
    private func verify(host: String) throws -> ChainVerifier {
        var verifier = ChainVerifier()
        let sql = """
            SELECT e.id, e.host, e.sequence, \(Self.timeText), e.kind, e.payload, e.previous_hash, e.hash,
                   ARRAY(SELECT s.subject FROM event_subject s WHERE s.event_id = e.id ORDER BY s.subject), e.category
            FROM event e WHERE e.host = $1 ORDER BY e.sequence
            """
        try connector.inTransaction("ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try fetchAll(sql, [host], on: connection) { row in
                let (id, host, sequence, time, kind, payload, previousHash, hash, subjects, category) = (
                    try row.text(0), try row.text(1), try row.int64(2), try row.text(3), try row.text(4),
                    try row.text(5), try row.text(6), try row.text(7), try row.textArray(8), try row.text(9)
                )
                verifier.check(
                    id: id, host: host, sequence: sequence, kind: kind, time: time, category: category,
                    payload: payload, previousHash: previousHash, hash: hash, indexedSubjects: Set(subjects))
            }
        }
        return verifier
    }

    /// The value recorded under `name` in `ledger_meta`, if any.
    public func metaValue(_ name: String) throws -> String? {
        try connector.withConnection { connection in
            let result = try connection.run("SELECT value FROM ledger_meta WHERE name = $1", [name])
            return try result.first?.text(0)
        }
    }

    /// The value recorded under `name` in `ledger_meta`, recording `value` first when there is
    /// none: the first writer's value stays (rows are never changed).
    public func metaValue(_ name: String, recordingIfAbsent value: String) throws -> String {
        try connector.withConnection { connection in
            try connection.run("INSERT INTO ledger_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [name, value])
            let result = try connection.run("SELECT value FROM ledger_meta WHERE name = $1", [name])
            return try result.first?.text(0) ?? value
        }
    }

    /// Number of events recorded.
    public func count() throws -> Int {
        try connector.withConnection { connection in
            let result = try connection.run("SELECT count(*) FROM event")
            return Int(try result.first?.int64(0) ?? 0)
        }
    }

    /// Runs `query` through a server-side cursor in a read-only snapshot, calling `body` for each
    /// row on the calling thread, ``fetchSize`` rows per round trip: memory stays flat however
    /// many events there are.
    private func withCursor(_ sql: String, _ parameters: [String?], _ body: (PostgresRows.Row) throws -> Void) throws {
        try connector.inTransaction("ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try fetchAll(sql, parameters, on: connection, body)
        }
    }

    private func fetchAll(
        _ sql: String, _ parameters: [String?], on connection: PostgresConnection, _ body: (PostgresRows.Row) throws -> Void
    ) throws {
        try connection.run("DECLARE privctl_events NO SCROLL CURSOR FOR " + sql, parameters)
        while true {
            // fetchSize is a constant of this type, not a value from outside.
            let page = try connection.run("FETCH FORWARD \(fetchSize) FROM privctl_events")
            for row in page { try body(row) }
            if page.count < fetchSize { break }
        }
        try connection.run("CLOSE privctl_events")
    }

    // MARK: Roles

    /// The SQL that creates a role for one host: it may read the ledger and append to its own
    /// chain, nothing else (no UPDATE, DELETE or TRUNCATE; row-level security limits its inserts
    /// to events whose host is `host`). Run it as the database owner after the schema exists
    /// (open the ledger once as the owner), then give the role a password (`\password ROLE` in
    /// psql) or another authentication method in `pg_hba.conf`.
    ///
    /// ```sql
    /// CREATE ROLE "mx1" LOGIN;
    /// GRANT USAGE ON SCHEMA public TO "mx1";
    /// GRANT SELECT ON schema_migrations TO "mx1";
    /// GRANT SELECT, INSERT ON event, event_subject, ledger_meta TO "mx1";
    /// CREATE POLICY "mx1_appends_mx1" ON event FOR INSERT TO "mx1" WITH CHECK (host = 'mx1');
    /// CREATE POLICY "mx1_appends_mx1_subjects" ON event_subject FOR INSERT TO "mx1"
    ///     WITH CHECK (EXISTS (SELECT 1 FROM event WHERE event.id = event_subject.event_id AND event.host = 'mx1'));
    /// ```
    public static func hostRoleSQL(role: String, host: String) -> String {
        let r = PostgresSchema.identifier(role)
        let h = PostgresSchema.literal(host)
        let policy = PostgresSchema.identifier("\(role)_appends_\(host)")
        let subjectPolicy = PostgresSchema.identifier("\(role)_appends_\(host)_subjects")
        return """
            CREATE ROLE \(r) LOGIN;
            GRANT USAGE ON SCHEMA public TO \(r);
            GRANT SELECT ON schema_migrations TO \(r);
            GRANT SELECT, INSERT ON event, event_subject, ledger_meta TO \(r);
            CREATE POLICY \(policy) ON event FOR INSERT TO \(r) WITH CHECK (host = \(h));
            CREATE POLICY \(subjectPolicy) ON event_subject FOR INSERT TO \(r)
                WITH CHECK (EXISTS (SELECT 1 FROM event WHERE event.id = event_subject.event_id AND event.host = \(h)));

            """
    }
}
