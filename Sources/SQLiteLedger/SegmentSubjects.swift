import GRDB

/// The subject index's pseudonyms of each event of one segment of a chain, for `verify` when
/// the index as a whole disagrees with the payloads (see `SQLiteLedger.verify`).
///
/// The index is keyed by subject, not by event: one pass over it, grouped by event row in row
/// order, is read beside the segment's events. A host's rows grow with its sequence (both are
/// given at the append), so that pass meets each event in turn; an event met out of that order
/// (rows renumbered by hand) is looked up on its own.
final class SegmentSubjects {
    private let db: Database
    private let cursor: RowCursor
    /// The group the cursor stands at: event row and its pseudonyms joined by spaces.
    private var current: (row: Int64, joined: String)?
    private var lastAsked = Int64.min

    /// The pseudonyms of an event, hex where stored as bytes, joined by single spaces.
    private static let joined = "group_concat(CASE typeof(s.pseudonym) WHEN 'blob' THEN lower(hex(s.pseudonym)) ELSE s.pseudonym END, ' ')"

    init(segment: (host: String, low: Int64, high: Int64, first: Bool), _ db: Database) throws {
        self.db = db
        let bounds = try Row.fetchOne(
            db, sql: "SELECT min(row), max(row) FROM event WHERE host = ? AND sequence BETWEEN ? AND ?",
            arguments: [segment.host, segment.low, segment.high])
        let low: Int64 = bounds?[0] ?? 0, high: Int64 = bounds?[1] ?? -1
        cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT i.event, \(Self.joined) FROM event_subject i JOIN subject s ON s.id = i.subject
                WHERE i.event BETWEEN ? AND ? GROUP BY i.event ORDER BY i.event
                """,
            arguments: [low, high])
        current = try next()
    }

    private func next() throws -> (row: Int64, joined: String)? {
        guard let row = try cursor.next() else { return nil }
        let joined: String? = row[1]
        return (row[0], joined ?? "")
    }

    /// The pseudonyms the index names for the event stored in `row`, joined by spaces; nil
    /// when it names none.
    func subjects(ofRow row: Int64) throws -> String? {
        defer { lastAsked = row }
        guard row > lastAsked else {
            return try String.fetchOne(
                db, sql: "SELECT \(Self.joined) FROM event_subject i JOIN subject s ON s.id = i.subject WHERE i.event = ?",
                arguments: [row])
        }
        while let group = current, group.row < row { current = try next() }
        guard let group = current, group.row == row else { return nil }
        return group.joined
    }
}
