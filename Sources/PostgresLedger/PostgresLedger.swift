import Foundation
import PostgresNIO
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
/// ``Ledger`` is synchronous; this type waits for postgres-nio's futures on the calling thread
/// (see `PostgresConnector` for why that is safe). Do not call it from a NIO event-loop thread.
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
        connector = try PostgresConnector(url: url) { connector, connection in
            try PostgresSchema.migrate(connector, connection)
        }
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
        guard !events.isEmpty else { return [] }
        return try connector.inTransaction { connection in
            let hosts = try lockChains(of: events.map(\.host), on: connection)
            var recorded = Set(try recordedRows(ids: events.map(\.id.rawValue), on: connection).keys)
            var heads = try chainHeads(hosts, on: connection)
            var written: [ChainedEvent] = []
            for event in events where !recorded.contains(event.id.rawValue) {
                recorded.insert(event.id.rawValue)
                let link = EventChain.link(event, after: heads[event.host])
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
            try connector.run(connection, "SELECT pg_advisory_xact_lock(\(PostgresSchema.lockSpace), hashtext(\(host)))")
        }
        return sorted
    }

    /// Host, sequence and hash of the events among `ids` that are recorded.
    private func recordedRows(ids: [String], on connection: PostgresConnection) throws
        -> [String: (host: String, sequence: Int64, hash: String)]
    {
        var rows: [String: (host: String, sequence: Int64, hash: String)] = [:]
        let result = try connector.run(connection, "SELECT id, host, sequence, hash FROM event WHERE id = ANY(\(ids)::text[])")
        for row in result {
            let (id, host, sequence, hash) = try row.decode((String, String, Int64, String).self)
            rows[id] = (host, sequence, hash)
        }
        return rows
    }

    /// The last (sequence, hash) of each host's chain; read after its lock is held.
    private func chainHeads(_ hosts: [String], on connection: PostgresConnection) throws -> [String: (sequence: Int64, hash: String)] {
        var heads: [String: (sequence: Int64, hash: String)] = [:]
        for host in hosts {
            let result = try connector.run(
                connection, "SELECT sequence, hash FROM event WHERE host = \(host) ORDER BY sequence DESC LIMIT 1")
            if let row = result.first {
                let (sequence, hash) = try row.decode((Int64, String).self)
                heads[host] = (sequence, hash)
            }
        }
        return heads
    }

    /// Inserts linked events and their subject rows: one statement each, whatever the batch size.
    private func insert(_ links: [ChainedEvent], on connection: PostgresConnection) throws {
        guard !links.isEmpty else { return }
        let ids = links.map(\.event.id.rawValue)
        let hosts = links.map(\.event.host)
        let sequences = links.map(\.sequence)
        let times = links.map { EventChain.timestamp($0.event.time) }
        let kinds = links.map(\.event.kind.rawValue)
        let categories = links.map(\.event.dataCategory)
        let payloads = links.map(\.payload)
        let previous = links.map(\.previousHash)
        let hashes = links.map(\.hash)
        let result = try connector.run(connection, """
            INSERT INTO event (id, host, sequence, time, kind, category, payload, previous_hash, hash)
            SELECT t.id, t.host, t.sequence, t.time::timestamptz, t.kind, t.category, t.payload, t.previous_hash, t.hash
            FROM unnest(\(ids)::text[], \(hosts)::text[], \(sequences)::int8[], \(times)::text[], \(kinds)::text[],
                        \(categories)::text[], \(payloads)::text[], \(previous)::text[], \(hashes)::text[])
                AS t(id, host, sequence, time, kind, category, payload, previous_hash, hash)
            ON CONFLICT (id) DO NOTHING
            """)
        guard result.metadata.rows == links.count else {
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
            try connector.run(connection, """
                INSERT INTO event_subject (subject, event_id)
                SELECT * FROM unnest(\(subjects)::text[], \(subjectIDs)::text[])
                ON CONFLICT DO NOTHING
                """)
        }
    }

    // MARK: Reading

    /// The `time` column as ``EventChain/timestamp(_:)`` writes it.
    private static let timeText = #"to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#

    public func forEachEvent(matching filter: EventFilter, _ body: (ChainedEvent) throws -> Void) throws {
        var query = PostgresQuery(unsafeSQL: "SELECT e.sequence, e.payload, e.previous_hash, e.hash FROM event e")
        var clauses: [String] = []
        func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
            query.binds.append(value)
            return "$\(query.binds.count)"
        }
        if let kinds = filter.kinds, !kinds.isEmpty {
            clauses.append("e.kind = ANY(\(bind(kinds.map(\.rawValue).sorted()))::text[])")
        }
        if let subject = filter.subject {
            clauses.append("e.id IN (SELECT s.event_id FROM event_subject s WHERE s.subject = \(bind(subject.rawValue)))")
        }
        if let category = filter.category { clauses.append("e.category = \(bind(category))") }
        if let host = filter.host { clauses.append("e.host = \(bind(host))") }
        // Compared at millisecond precision, as the SQLite ledger compares its timestamps.
        if let since = filter.since { clauses.append("e.time >= \(bind(EventChain.timestamp(since)))::timestamptz") }
        if let until = filter.until { clauses.append("e.time < \(bind(EventChain.timestamp(until)))::timestamptz") }
        if !clauses.isEmpty { query.sql += " WHERE " + clauses.joined(separator: " AND ") }
        query.sql += " ORDER BY e.host, e.sequence"
        if let limit = filter.limit { query.sql += " LIMIT \(max(0, limit))" }

        try withCursor(query) { row in
            let (sequence, payload, previousHash, hash) = try row.decode((Int64, String, String, String).self)
            try body(ChainedEvent(
                sequence: sequence, event: try EventChain.event(fromPayload: payload),
                payload: payload, previousHash: previousHash, hash: hash))
        }
    }

    public func verify() throws -> LedgerVerification {
        try verify(hosts: nil)
    }

    /// Verifies the chains of `hosts` only (all when nil), in one consistent snapshot.
    public func verify(hosts: Set<String>?) throws -> LedgerVerification {
        var verifier = ChainVerifier()
        var query = PostgresQuery(unsafeSQL: """
            SELECT e.id, e.host, e.sequence, \(Self.timeText), e.kind, e.payload, e.previous_hash, e.hash,
                   ARRAY(SELECT s.subject FROM event_subject s WHERE s.event_id = e.id ORDER BY s.subject)
            FROM event e
            """)
        if let hosts {
            query.binds.append(hosts.sorted())
            query.sql += " WHERE e.host = ANY($1::text[])"
        }
        query.sql += " ORDER BY e.host, e.sequence"
        try connector.inTransaction("ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try fetchAll(query, on: connection) { row in
                let (id, host, sequence, time, kind, payload, previousHash, hash, subjects) =
                    try row.decode((String, String, Int64, String, String, String, String, String, [String]).self)
                verifier.check(
                    id: id, host: host, sequence: sequence, kind: kind, time: time,
                    payload: payload, previousHash: previousHash, hash: hash)
                if let event = try? EventChain.event(fromPayload: payload),
                    Set(event.subjects.map(\.rawValue)) != Set(subjects)
                {
                    verifier.report("event \(id): its subject index disagrees with its recorded subjects")
                }
            }
            if hosts == nil {
                let orphans = try connector.run(connection, """
                    SELECT DISTINCT s.event_id FROM event_subject s
                    WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.id = s.event_id) ORDER BY 1
                    """)
                for row in orphans {
                    verifier.report("subject index names event \(try row.decode(String.self)), which is not in the ledger")
                }
            }
        }
        return verifier.result
    }

    /// The value recorded under `name` in `ledger_meta`, if any.
    public func metaValue(_ name: String) throws -> String? {
        try connector.withConnection { connection in
            let result = try connector.run(connection, "SELECT value FROM ledger_meta WHERE name = \(name)")
            return try result.first?.decode(String.self)
        }
    }

    /// The value recorded under `name` in `ledger_meta`, recording `value` first when there is
    /// none: the first writer's value stays (rows are never changed).
    public func metaValue(_ name: String, recordingIfAbsent value: String) throws -> String {
        try connector.withConnection { connection in
            try connector.run(connection, "INSERT INTO ledger_meta (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO NOTHING")
            let result = try connector.run(connection, "SELECT value FROM ledger_meta WHERE name = \(name)")
            return try result.first?.decode(String.self) ?? value
        }
    }

    /// Number of events recorded.
    public func count() throws -> Int {
        try connector.withConnection { connection in
            let result = try connector.run(connection, "SELECT count(*) FROM event")
            return Int(try result.first?.decode(Int64.self) ?? 0)
        }
    }

    /// Runs `query` through a server-side cursor in a read-only snapshot, calling `body` for each
    /// row on the calling thread, ``fetchSize`` rows per round trip: memory stays flat however
    /// many events there are.
    private func withCursor(_ query: PostgresQuery, _ body: (PostgresRow) throws -> Void) throws {
        try connector.inTransaction("ISOLATION LEVEL REPEATABLE READ READ ONLY") { connection in
            try fetchAll(query, on: connection, body)
        }
    }

    private func fetchAll(_ query: PostgresQuery, on connection: PostgresConnection, _ body: (PostgresRow) throws -> Void) throws {
        var declare = query
        declare.sql = "DECLARE privctl_events NO SCROLL CURSOR FOR " + query.sql
        try connector.run(connection, declare)
        while true {
            let page = try connector.run(connection, PostgresQuery(unsafeSQL: "FETCH FORWARD \(fetchSize) FROM privctl_events"))
            for row in page { try body(row) }
            if page.count < fetchSize { break }
        }
        try connector.run(connection, "CLOSE privctl_events")
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
