import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement run through SQLite's C interface: its values bound as they are, without
/// GRDB building and checking an argument list for every run.
///
/// For the statements a first run executes for every event and message (the event insert, its
/// subject-index rows, the scan-index rows), where GRDB's per-run work cost more than SQLite's
/// (see `Benchmarks/RESULTS.md`). Every other statement goes through GRDB. A failure is thrown
/// as GRDB's `DatabaseError`, with SQLite's message, as GRDB would throw it.
struct DirectStatement {
    private let statement: Statement
    private let db: Database

    /// Prepares `sql` on `db`, for use inside the current transaction only.
    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// Runs the statement with `values` bound to its parameters in order; returns whether it
    /// gave a row (for `SELECT 1 …`, whether one exists). The statement is reset afterwards.
    @discardableResult
    func run(_ values: DatabaseValue...) throws -> Bool {
        let handle = statement.sqliteStatement
        // Every parameter bound each run (SQLite keeps a value bound from the run before).
        precondition(values.count == Int(sqlite3_bind_parameter_count(handle)), "\(values.count) values for \(statement.sql)")
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let code = Self.bind(value, at: Int32(offset + 1), of: handle)
            guard code == SQLITE_OK else { throw failure(code) }
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW || code == SQLITE_DONE else { throw failure(code) }
        sqlite3_reset(handle)
        return code == SQLITE_ROW
    }

    /// SQLite's `SQLITE_TRANSIENT`: it copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: DatabaseValue, at index: Int32, of handle: OpaquePointer) -> Int32 {
        switch value.storage {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .int64(let number):
            return sqlite3_bind_int64(handle, index, number)
        case .double(let number):
            return sqlite3_bind_double(handle, index, number)
        case .string(let text):
            // As GRDB binds text, as a C string: what it stores, every read through GRDB finds
            // (a text with a NUL in it ends there, for both).
            return sqlite3_bind_text(handle, index, text, -1, transient)
        case .blob(let data):
            return data.withUnsafeBytes { bytes in
                // An empty blob is a blob, not NULL: SQLite wants a pointer for it.
                sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
            }
        }
    }

    /// SQLite's verdict as GRDB reports it. (The statement is reset, so that the transaction's
    /// rollback does not wait on it.)
    private func failure(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(statement.sqliteStatement)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
