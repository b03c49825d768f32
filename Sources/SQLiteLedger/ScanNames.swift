import Foundation
import GRDB
import Synchronization

/// Texts that many scan index rows share, each stored once (table `scan_name`) and named by its
/// number in the rows: the folder or mbox a row belongs to, the start of its key
/// (``ScanKey``), its category and its rule.
///
/// Numbers are never reused or changed, so a number read once is remembered for the life of
/// the index. A number given in a write is remembered only once that write committed
/// (``Assigning/commit()``): a rolled-back one may be given to another text later. Texts are
/// told apart by their bytes, as SQLite and file systems do (Swift's `String` equality would
/// take `é` and `e` + U+0301, two folders, for one).
final class ScanNames: Sendable {
    private let numbers = Mutex<[Bytes: Int64]>([:])
    private let texts = Mutex<[Int64: String]>([:])

    /// The number of `text`, read in a read transaction (which sees committed rows only); nil
    /// when no row has ever used it.
    func number(of text: String, reading db: Database) throws -> Int64? {
        if let known = numbers.withLock({ $0[Bytes(text)] }) { return known }
        guard let found = try Int64.fetchOne(db, sql: "SELECT id FROM scan_name WHERE text = ?", arguments: [text]) else { return nil }
        remember(text, found)
        return found
    }

    /// The text numbered `number`, read in a read transaction; nil when there is none (a
    /// damaged row).
    func text(of number: Int64, reading db: Database) throws -> String? {
        if let known = texts.withLock({ $0[number] }) { return known }
        guard let found = try String.fetchOne(db, sql: "SELECT text FROM scan_name WHERE id = ?", arguments: [number]) else { return nil }
        remember(found, number)
        return found
    }

    private func remember(_ text: String, _ number: Int64) {
        numbers.withLock { $0[Bytes(text)] = number }
        texts.withLock { $0[number] = text }
    }

    /// A text as its UTF-8 bytes, for dictionary keys.
    struct Bytes: Hashable, Sendable {
        let utf8: [UInt8]
        init(_ text: String) { utf8 = Array(text.utf8) }
    }

    /// Numbers texts within one write transaction, giving new ones their number.
    final class Assigning {
        private let names: ScanNames
        private let db: Database
        private let find: Statement
        private let insert: Statement
        private var given: [Bytes: (text: String, number: Int64)] = [:]

        init(_ names: ScanNames, _ db: Database) throws {
            self.names = names
            self.db = db
            find = try db.makeStatement(sql: "SELECT id FROM scan_name WHERE text = ?")
            insert = try db.makeStatement(sql: "INSERT INTO scan_name (text) VALUES (?)")
        }

        /// The number of `text`; nil when it has none.
        func existingNumber(of text: String) throws -> Int64? {
            let bytes = Bytes(text)
            if let number = given[bytes]?.number ?? names.numbers.withLock({ $0[bytes] }) { return number }
            let found = try Int64.fetchOne(find, arguments: [text])
            if let found { given[bytes] = (text, found) }
            return found
        }

        /// The number of `text`, given now if it has none.
        func number(of text: String) throws -> Int64 {
            if let number = try existingNumber(of: text) { return number }
            try insert.execute(arguments: [text])
            let number = db.lastInsertedRowID
            given[Bytes(text)] = (text, number)
            return number
        }

        /// Remembers the numbers given, once their transaction committed.
        func commit() { for (text, number) in given.values { names.remember(text, number) } }
    }
}
