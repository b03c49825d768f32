import Foundation
import GRDB
import PrivacyEvents
import Synchronization

/// The numbers the subject index and the scan index give pseudonyms (table `subject`): each
/// pseudonym stored once, as bytes (``CompactValue/hex(_:)``), and named by its number.
///
/// One value serves one write transaction. The numbers it learns are remembered for the
/// ledger file (``Remembered``) once the transaction committed (``commit()``): a first run
/// meets the same people in batch after batch, and each would otherwise look them up again.
struct SubjectNumbers {
    /// Numbers of pseudonyms, kept for one ledger file by ``LedgerDatabase``. A row of `subject`
    /// is never changed or deleted, so a number once committed stays right.
    final class Remembered: Sendable {
        private let numbers = Mutex<[String: Int64]>([:])
        /// Pseudonyms remembered at most: past it, the memory starts again (a store with more
        /// correspondents than this costs a look-up per pseudonym and batch, as before).
        static let limit = 200_000

        func number(of subject: String) -> Int64? { numbers.withLock { $0[subject] } }

        fileprivate func add(_ learned: [String: Int64]) {
            numbers.withLock { numbers in
                if numbers.count + learned.count > Self.limit { numbers.removeAll() }
                numbers.merge(learned) { _, new in new }
            }
        }
    }

    private let find: Statement
    private let insert: Statement
    private let db: Database
    private let remembered: Remembered
    private final class Learned { var numbers: [String: Int64] = [:] }
    /// Numbers read or given in this transaction.
    private let learned = Learned()

    init(_ db: Database, remembered: Remembered) throws {
        self.db = db
        self.remembered = remembered
        find = try db.makeStatement(sql: "SELECT id FROM subject WHERE pseudonym = ?")
        insert = try db.makeStatement(sql: "INSERT INTO subject (pseudonym) VALUES (?)")
    }

    /// The number of `subject`, given it now if it has none.
    func number(of subject: Pseudonym) throws -> Int64 {
        if let number = learned.numbers[subject.rawValue] ?? remembered.number(of: subject.rawValue) { return number }
        let stored = CompactValue.hex(subject.rawValue)
        let number: Int64
        if let found = try Int64.fetchOne(find, arguments: [stored]) {
            number = found
        } else {
            try insert.execute(arguments: [stored])
            number = db.lastInsertedRowID
        }
        learned.numbers[subject.rawValue] = number
        return number
    }

    /// Remembers the numbers learned, for later transactions; call it once the transaction
    /// committed (a number given in one rolled back names nothing).
    func commit() {
        guard !learned.numbers.isEmpty else { return }
        remembered.add(learned.numbers)
    }

    /// The numbers of a list's pseudonyms, as the scan index keeps them (LEB128 each); nil when
    /// one is not a pseudonym privctl makes (the row then keeps the list as it is).
    func packed(_ list: PseudonymList) throws -> DatabaseValue? {
        var out: [UInt8] = []
        for subject in list.pseudonyms {
            guard case .blob = CompactValue.hex(subject.rawValue).storage, subject.rawValue.utf8.count == 64 else { return nil }
            LEB128.append(UInt64(bitPattern: try number(of: subject)), to: &out)
        }
        return Data(out).databaseValue
    }

    /// The numbers ``packed(_:)`` wrote; those after a damaged byte are left out.
    static func numbers(in data: Data) -> [Int64] {
        data.withUnsafeBytes { bytes in
            var numbers: [Int64] = []
            var index = 0
            while index < bytes.count, let value = LEB128.read(bytes, at: &index) { numbers.append(Int64(bitPattern: value)) }
            return numbers
        }
    }
}
