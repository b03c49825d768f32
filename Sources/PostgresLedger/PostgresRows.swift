import PrivacyEvents

/// The answer to one statement, copied out of libpq: its rows, each value in PostgreSQL's text
/// format (nil for SQL NULL), and how many rows a command inserted, updated or deleted.
struct PostgresRows: Sequence {
    /// One row's values, decoded on demand by column position.
    struct Row {
        var values: [String?]

        /// The text of column `index`; a NULL there is an error (the ledger's columns that are
        /// read are NOT NULL or coalesced).
        func text(_ index: Int) throws -> String {
            guard index < values.count, let value = values[index] else {
                throw LedgerError("the ledger's answer has no value in column \(index + 1) where one is required")
            }
            return value
        }

        func int64(_ index: Int) throws -> Int64 {
            let text = try text(index)
            guard let value = Int64(text) else { throw LedgerError("the ledger's answer has \"\(text)\" where a number belongs") }
            return value
        }

        func bool(_ index: Int) throws -> Bool {
            switch try text(index) {
            case "t": return true
            case "f": return false
            case let other: throw LedgerError("the ledger's answer has \"\(other)\" where true or false belongs")
            }
        }

        func textArray(_ index: Int) throws -> [String] {
            try PostgresText.array(parsing: text(index))
        }
    }

    var rows: [Row]
    /// `PQcmdTuples`: rows a command affected (0 for statements that do not say).
    var affected: Int

    var count: Int { rows.count }
    var first: Row? { rows.first }
    func makeIterator() -> IndexingIterator<[Row]> { rows.makeIterator() }
}
