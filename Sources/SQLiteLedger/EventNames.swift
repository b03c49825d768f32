import Foundation
import GRDB

/// The kinds and categories of events, each stored once (table `event_name`, schema v12) and
/// named by its number in the event rows' `kind` and `category` columns: a byte where the text
/// took seven to twenty, twice per message.
///
/// The table is append-only and small (the kinds and a policy's categories), so it is read
/// whole. `collect` is 1 and `retain` 2, always: the kind index holds the other kinds
/// (``LedgerDatabase/rareKinds``). A column holding text (written so by hand) is read as that
/// text. Texts are told apart by their bytes, as SQLite does. `verify` compares both columns
/// with the payload, so a name changed by hand is found at every event that uses it.
struct EventNames {
    private var numbers: [[UInt8]: Int64] = [:]
    private var texts: [Int64: String] = [:]
    /// The last texts ``number(of:_:)`` was asked for, newest first.
    private var recent: [(text: String, number: Int64)] = []

    /// The numbers the schema fixes.
    static let fixed: [(number: Int64, text: String)] = [(1, "collect"), (2, "retain")]

    /// The names stored in `db`.
    init(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT id, text FROM event_name")
        while let row = try rows.next() {
            let number: DatabaseValue = row[0], text: DatabaseValue = row[1]
            guard case .int64(let value) = number.storage, case .string(let name) = text.storage else { continue }
            numbers[Array(name.utf8)] = value
            texts[value] = name
        }
    }

    /// The number of `text`, stored now (in the caller's write transaction) if it has none.
    mutating func number(of text: String, _ db: Database) throws -> Int64 {
        // The texts asked for last (an event's kind and category, the next event's likely the
        // same), by their bytes: no array per look-up.
        if let hit = recent.first(where: { $0.text.utf8.elementsEqual(text.utf8) }) { return hit.number }
        let bytes = Array(text.utf8)
        let number: Int64
        if let known = numbers[bytes] {
            number = known
        } else {
            try db.execute(sql: "INSERT INTO event_name (text) VALUES (?)", arguments: [text])
            number = db.lastInsertedRowID
            numbers[bytes] = number
            texts[number] = text
        }
        recent = [(text, number)] + recent.prefix(3)
        return number
    }

    /// The text a stored `kind` or `category` value stands for: the name of its number, or the
    /// text itself; nil for a number that names nothing or a value of another type.
    func text(of value: DatabaseValue) -> String? {
        switch value.storage {
        case .int64(let number): return texts[number]
        case .string(let text): return text
        default: return nil
        }
    }
}
