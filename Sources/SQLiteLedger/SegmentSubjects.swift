import GRDB

/// The subject index's pseudonyms of each event of one segment of a chain, for `verify` when
/// the index as a whole disagrees with the payloads (see `SQLiteLedger.verify`).
///
/// The index is keyed by subject, not by event (an index by event would cost every message 45
/// bytes for a check that only a damaged ledger needs). So the segment's part of it, the rows
/// between its events' lowest and highest row numbers, is copied once into a temporary table
/// of this connection with an index by event, and each event's rows are looked up there, in
/// whatever order the chain meets them. The copy lives on disk beside SQLite's other temporary
/// files and goes with ``close()``.
final class SegmentSubjects {
    private let db: Database
    private let lookup: Statement

    init(segment: (host: String, low: Int64, high: Int64, first: Bool), _ db: Database) throws {
        self.db = db
        let bounds = try Row.fetchOne(
            db, sql: "SELECT min(row), max(row) FROM event WHERE host = ? AND sequence BETWEEN ? AND ?",
            arguments: [segment.host, segment.low, segment.high])
        let low: Int64 = bounds?[0] ?? 0, high: Int64 = bounds?[1] ?? -1
        try db.execute(sql: "DROP TABLE IF EXISTS temp.segment_subject")
        try db.execute(
            sql: """
                CREATE TEMP TABLE segment_subject AS SELECT event, subject FROM event_subject WHERE event BETWEEN ? AND ?;
                CREATE INDEX temp.segment_subject_event ON segment_subject (event);
                """,
            arguments: [low, high])
        lookup = try db.makeStatement(sql: """
            SELECT group_concat(CASE typeof(s.pseudonym) WHEN 'blob' THEN lower(hex(s.pseudonym)) ELSE s.pseudonym END, ' ')
            FROM temp.segment_subject i JOIN subject s ON s.id = i.subject WHERE i.event = ?
            """)
    }

    /// The pseudonyms the index names for the event stored in `row`, hex where stored as bytes,
    /// joined by single spaces; nil when it names none.
    func subjects(ofRow row: Int64) throws -> String? {
        try String.fetchOne(lookup, arguments: [row])
    }

    /// Drops the temporary table.
    func close() {
        _ = try? db.execute(sql: "DROP TABLE IF EXISTS temp.segment_subject")
    }
}
